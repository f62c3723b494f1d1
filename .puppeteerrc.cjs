// Puppeteer's own browser download cannot reach its host on our machines and fails only at
// launch; we skip it and find the browser ourselves (src/print/spawn.ts, "Which browser is used"
// in the README).
module.exports = { skipDownload: true };
