// `npm run certs`: the course's own certificate authority and a server certificate signed
// by it, in certs/ (git-ignored). Lesson 16 explains what each file is for.
//
//   certs/ca.pem           the authority's certificate: give it to clients (--ca certs/ca.pem)
//   certs/ca-key.pem       the authority's private key: it signs; never give it away
//   certs/server.pem       the server's certificate: --tls-cert certs/server.pem
//   certs/server-key.pem   the server's private key:  --tls-key certs/server-key.pem
//
// An authority already in certs/ is kept (students who copied ca.pem keep trusting it):
// only the server certificate is made anew, for localhost and any --name given.
// --impostor makes certs/impostor.pem and impostor-key.pem instead: a certificate for the
// same names, signed by an authority nobody was told to trust (lesson 16's impostor demo).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseFlags, runMain, UsageError } from '../app/cli.js';
import { ROOT } from '../app/server/pieces.js';
import { authorityFromPem, describeCertificate, makeAuthority, makeServerCertificate } from './certificates.js';

export const CERTS_DIR = path.join(ROOT, 'certs');
const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'];

const USAGE = `Usage: npm run certs -- [--name ADDRESS]... [--new-ca | --impostor]
  --name ADDRESS   also valid for this address or host name (the classroom's: e.g.
                   --name 192.168.1.20 --name chat.local); localhost, 127.0.0.1 and ::1
                   always are
  --new-ca         make a new authority too (clients must then get the new ca.pem)
  --impostor       make certs/impostor.pem and impostor-key.pem: the same names, signed
                   by an authority of its own (lesson 16: what a client must refuse)
Writes certs/ca.pem, certs/ca-key.pem, certs/server.pem and certs/server-key.pem.`;

runMain('CERTS', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      name: { type: 'string', multiple: true },
      'new-ca': { type: 'boolean' },
      impostor: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  if (values.impostor && values['new-ca']) throw new UsageError('--impostor makes an authority of its own: leave out --new-ca.');
  const extra = values.name ?? [];
  for (const name of extra) {
    if (isIP(name) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(name)) {
      throw new UsageError(`--name wants an IP address or a host name like chat.local; got '${name}'.`);
    }
  }
  const names = [...new Set([...LOCAL_NAMES, ...extra])];

  mkdirSync(CERTS_DIR, { recursive: true });
  const file = (name: string) => path.join(CERTS_DIR, name);
  const show = (name: string) => path.relative(process.cwd(), file(name)) || name;

  if (values.impostor) {
    // Its authority's key is thrown away: nobody trusts it, and nobody ever will.
    const impostor = makeServerCertificate(makeAuthority('Totally the real chat CA'), { names });
    writeFileSync(file('impostor.pem'), impostor.certPem);
    writeFileSync(file('impostor-key.pem'), impostor.keyPem, { mode: 0o600 });
    console.log(`An impostor's certificate ${describeCertificate(impostor.certPem)}:`);
    console.log(`  ${show('impostor.pem')} and ${show('impostor-key.pem')}`);
    console.log('Run it on another port:  npm run server -- --port 5052 --tls-cert certs/impostor.pem --tls-key certs/impostor-key.pem');
    console.log('A client must refuse it: npm run raw -- --port 5052 --ca certs/ca.pem');
    return;
  }
  const keepAuthority = !values['new-ca'] && existsSync(file('ca.pem')) && existsSync(file('ca-key.pem'));
  const authority = keepAuthority
    ? authorityFromPem(readFileSync(file('ca.pem'), 'utf8'), readFileSync(file('ca-key.pem'), 'utf8'))
    : makeAuthority(`Sockets course CA (${new Date().toISOString().slice(0, 10)})`);
  if (!keepAuthority) {
    writeFileSync(file('ca.pem'), authority.certPem);
    writeFileSync(file('ca-key.pem'), authority.key.privatePem, { mode: 0o600 });
  }
  const server = makeServerCertificate(authority, { names });
  writeFileSync(file('server.pem'), server.certPem);
  writeFileSync(file('server-key.pem'), server.keyPem, { mode: 0o600 });

  console.log(`${keepAuthority ? 'Kept the authority' : 'A new authority'}: ${show('ca.pem')} (give this one to clients), ${show('ca-key.pem')} (keep it to yourself)`);
  console.log(`The server's certificate ${describeCertificate(server.certPem)}:`);
  console.log(`  ${show('server.pem')} and ${show('server-key.pem')}`);
  console.log('Run the server with them:  npm run server -- --tls-cert certs/server.pem --tls-key certs/server-key.pem');
  console.log('Connect a client:          npm run chat -- --name alice --tls --ca certs/ca.pem');
});
