import { parseXmlDocument, children } from './xml.ts';

/** NetBaron's error body (`netbaron-ws.md` §15.10): `<Error><Code/><Message/></Error>`. */
export function parseErrorBody(xml: string): { code?: string; message?: string } {
  try {
    const error = children(parseXmlDocument(xml, []).Error);
    const code = typeof error.Code === 'string' ? error.Code : undefined;
    const message = typeof error.Message === 'string' ? error.Message : undefined;
    return { code, message };
  } catch {
    return {};
  }
}
