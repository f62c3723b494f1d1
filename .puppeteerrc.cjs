// Puppeteer's own browser download cannot reach its host on our machines and fails only at
// launch; we skip it and resolve the browser ourselves (src/print/browser-path.ts).
module.exports = { skipDownload: true };
