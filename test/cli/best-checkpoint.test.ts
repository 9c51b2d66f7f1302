// The best checkpoint holds the weights alone: it is a fraction of the last one's size, has no optimiser tensors,
// keeps the PyTorch state_dict names, and eval and sample give on it what they give on the full checkpoint of the
// same epoch; --resume from it is refused with one line.
import { copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { decodeSafetensors } from '../../ts/train/safetensors.js';
import { TINY, cli, fingerprint } from '../helpers/cli.js';

t.test('a one-epoch run: best is the weights of last, and evaluates and samples the same', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'aae-best-')), 'run');
  const r = cli(['train', ...TINY, '--epochs=1', `--out=${dir}`]);
  t.equal(r.status, 0, r.stderr.slice(-300));
  const file = (name: string) => join(dir, 'checkpoints', `${name}.safetensors`);
  const best = decodeSafetensors(readFileSync(file('best')), file('best'));
  const last = decodeSafetensors(readFileSync(file('last')), file('last'));
  const lastWeights = [...last.tensors.keys()].filter((name) => !name.startsWith('optimizer.'));
  t.ok(lastWeights.length < last.tensors.size, 'last holds optimiser state');
  t.same([...best.tensors.keys()], lastWeights, 'best holds the parameters of last, under the same names, and nothing else');
  t.ok(lastWeights.includes('Q.lin1.weight'), 'PyTorch state_dict names');
  for (const name of lastWeights) t.same(best.tensors.get(name)!.data, last.tensors.get(name)!.data, `${name} equal`);
  t.equal(best.metadata['format'], 'pt');
  t.equal(JSON.parse(best.metadata['aae']!).weightsOnly, true);
  t.equal(JSON.parse(last.metadata['aae']!).weightsOnly, undefined);
  t.ok(statSync(file('best')).size < statSync(file('last')).size / 3, `best ${statSync(file('best')).size} bytes, last ${statSync(file('last')).size}`);

  const evalOf = (name: string) => {
    const e = cli(['eval', dir, '--backend=wasm', `--checkpoint=${name}`]);
    t.equal(e.status, 0, e.stderr.slice(-300));
    return e.stdout.split('\n').slice(1).join('\n');
  };
  const measures = evalOf('best');
  t.match(measures, /test reconstruction loss \d\.\d{4}\nvalidation error \d+\.\d\d%\ntest error \d+\.\d\d%/);
  t.equal(measures, evalOf('last'), 'eval prints the same numbers for best and last');
  const epoch = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((x) => x.type === 'epoch');
  t.match(measures, `test error ${(100 * epoch.testError).toFixed(2)}%`, 'and those the run measured at the end of the epoch');

  const sampled = (name: string) => {
    const s = cli(['sample', dir, '--backend=wasm', `--checkpoint=${name}`, '--rows=2', '--cols=3']);
    t.equal(s.status, 0, s.stderr.slice(-300));
    return readFileSync(join(dir, 'samples', 'samples-1.png'));
  };
  t.ok(sampled('best').equals(sampled('last')), 'sample draws the same images from best and last');

  copyFileSync(file('best'), file('last'));
  const before = fingerprint(dir);
  const resumed = cli(['train', `--resume=${dir}`, '--epochs=2', '--backend=wasm']);
  t.equal(resumed.status, 2);
  t.equal(resumed.stderr, `aae: ${file('last')}: holds the model's weights only (as best.safetensors does), not the optimiser state that training continues from\n`);
  t.same(fingerprint(dir), before, 'the run unchanged');
});
