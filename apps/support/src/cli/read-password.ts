import type { ReadStream } from 'node:tty';

/**
 * The password from standard input: its first line. From a terminal it is
 * typed without echo; from a pipe (`printf '%s' … |`) the whole input is read.
 * Never from the command line, where `ps` and shell history would keep it.
 */
export async function readPassword(stdin: NodeJS.ReadStream, prompt: (text: string) => void): Promise<string> {
  if (stdin.isTTY) return readTyped(stdin, prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function readTyped(stdin: NodeJS.ReadStream & ReadStream, prompt: (text: string) => void): Promise<string> {
  prompt('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  let typed = '';
  return new Promise((resolve, reject) => {
    const onData = (key: string) => {
      for (const char of key) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          prompt('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
