// --help of every command lists every flag the command accepts, --debug (read before the command's own flags) included.
import t from 'tap';
import { cli } from '../helpers/cli.js';

t.test('--help of every command lists --debug', async (t) => {
  for (const command of ['train', 'eval', 'sample', 'explore']) {
    const r = cli([command, '--help']);
    t.equal(r.status, 0, `${command} --help: exit 0`);
    t.match(r.stdout, /^ {2}--debug +on a failure, also print the stack trace$/m, `${command} --help lists --debug`);
  }
});
