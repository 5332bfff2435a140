import type { Server, ServerResponse } from 'node:http';
import type { Answer } from './openapi-check.js';

/**
 * Records every answer `server` finishes sending: method, path, status, Content-Type and body.
 * Installed before the app's own listener, so no byte of a response is missed.
 */
export function recordAnswers(server: Server): Answer[] {
  const answers: Answer[] = [];
  server.prependListener('request', (req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              chunk as string,
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            ),
      );
    };
    const { write, end } = res;
    res.write = function recordedWrite(this: ServerResponse, ...args: unknown[]) {
      keep(args[0], args[1]);
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof res.write;
    res.end = function recordedEnd(this: ServerResponse, ...args: unknown[]) {
      keep(args[0], args[1]);
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.end;
    res.on('finish', () => {
      const type = res.getHeader('content-type');
      answers.push({
        method: req.method ?? '',
        path: new URL(req.url ?? '/', 'http://x').pathname,
        status: res.statusCode,
        contentType: typeof type === 'string' ? type : undefined,
        text: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
  return answers;
}
