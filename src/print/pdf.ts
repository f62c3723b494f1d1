/** Chromium's print of the loaded page, asked for directly over the DevTools protocol. */
import type { CDPSession } from 'puppeteer';

/**
 * Page.printToPDF with the page's own size and no margins: the PDF comes back in one piece
 * (Puppeteer's page.pdf reads it as a stream, in chunks: slower for a broadsheet).
 */
export async function printToPdf(cdp: CDPSession, sizeMm: { w: number; h: number }): Promise<Uint8Array> {
  const r = await cdp.send('Page.printToPDF', {
    paperWidth: sizeMm.w / 25.4,
    paperHeight: sizeMm.h / 25.4,
    marginTop: 0,
    marginBottom: 0,
    marginLeft: 0,
    marginRight: 0,
    printBackground: true,
    displayHeaderFooter: false,
    preferCSSPageSize: false,
    generateTaggedPDF: false,
    generateDocumentOutline: false,
    transferMode: 'ReturnAsBase64',
  });
  return Buffer.from(r.data, 'base64');
}
