import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first HTTP/1.1 response in `text` (Content-Length framed, or to the end). */
export function parseResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const rest = split === -1 ? '' : text.slice(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = headers['content-length'];
  const body =
    length === undefined ? rest : Buffer.from(rest).subarray(0, Number(length)).toString();
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body };
}

/**
 * Sends raw bytes over a new TCP connection and resolves with everything the server wrote once it
 * closes the connection (or `idleMs` passes without data). `chunks` are written `gapMs` apart.
 */
export function sendRaw(
  port: number,
  chunks: (string | Buffer)[],
  { gapMs = 0, idleMs = 10_000 }: { gapMs?: number; idleMs?: number } = {},
): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let timer = setTimeout(() => finish(false), idleMs);
    let writing: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      clearTimeout(writing);
      socket.destroy();
      resolve({ text: Buffer.concat(received).toString('utf8'), closedByServer });
    };
    socket.on('data', (data) => {
      received.push(data);
      clearTimeout(timer);
      timer = setTimeout(() => finish(false), idleMs);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish(true);
      else reject(error);
    });
    let index = 0;
    const writeNext = () => {
      const chunk = chunks[index++];
      if (chunk === undefined || socket.destroyed) return;
      socket.write(chunk);
      writing = setTimeout(writeNext, gapMs);
    };
    socket.on('connect', writeNext);
  });
}
