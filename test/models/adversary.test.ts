// The adversary's input noise (--disc-noise): what D sees is the code plus fresh N(0, s^2) noise in both phases,
// a different draw for the real and the fake side, and the code itself without noise.
import t from 'tap';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { Adversary } from '../../ts/models/adversary.js';
import { ClusteringAAE } from '../../ts/models/clustering.js';
import { defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { UnsupervisedAAE } from '../../ts/models/unsupervised.js';
import { initLinearDefault } from '../../ts/nn/init.js';
import { RngStream } from '../../ts/rng.js';

const be = new ReferenceBackend();
const B = 2000;
const shape = { hidden: 4, depth: 1, dropout: 0 };

function moments(values: Float64Array): { mean: number; std: number } {
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
}

t.test('D sees code + N(0, s^2) in the discriminator and generator phases', async (t) => {
  const adv = new Adversary(be, { name: 'D_gauss', codeDim: 2, shape, batch: B, lr: 1e-3, inputNoise: 0.3 });
  const real = be.tensor([B, 2]);
  const fake = be.tensor([B, 2]);
  be.randomNormal(real, { ...new RngStream(1).take(2 * B), std: 5 });
  be.randomNormal(fake, { ...new RngStream(2).take(2 * B), std: 5 });
  adv.discriminatorGradients(real, fake, new RngStream(3));
  const r = be.read64(real);
  const f = be.read64(fake);
  const realNoise = be.read64(adv.real.input!).map((v, i) => v - r[i]!);
  const fakeNoise = be.read64(adv.fake.input!).map((v, i) => v - f[i]!);
  for (const [side, noise] of [['real', realNoise], ['fake', fakeNoise]] as const) {
    const m = moments(noise);
    t.ok(Math.abs(m.mean) < 0.03, `${side}: noise mean ${m.mean.toFixed(4)} ~ 0`);
    t.ok(Math.abs(m.std - 0.3) < 0.015, `${side}: noise std ${m.std.toFixed(4)} ~ 0.3`);
  }
  t.not(realNoise[0], fakeNoise[0], 'the real and fake sides draw different noise');
  t.same(be.read64(real), r, 'the prior samples themselves are not modified');

  const dCode = be.tensor([B, 2]);
  adv.generatorGrad(fake, dCode, new RngStream(4));
  const genNoise = moments(be.read64(adv.fake.input!).map((v, i) => v - f[i]!));
  t.ok(Math.abs(genNoise.std - 0.3) < 0.015, `generator phase: noise std ${genNoise.std.toFixed(4)} ~ 0.3`);
});

t.test('without input noise D sees the code itself and draws nothing', async (t) => {
  const adv = new Adversary(be, { name: 'D_gauss', codeDim: 2, shape, batch: 8, lr: 1e-3 });
  const real = be.tensor([8, 2]);
  const fake = be.tensor([8, 2]);
  const rng = new RngStream(3);
  adv.discriminatorGradients(real, fake, rng);
  t.equal(adv.real.input, real);
  t.equal(adv.fake.input, fake);
  t.equal(rng.offset, 0, 'no random numbers were drawn (a net without dropout draws none)');
});

t.test('the noise is reproducible from the stream, and changes the loss', async (t) => {
  const losses = (noise: number, seed: number) => {
    const adv = new Adversary(be, { name: 'D_cat', codeDim: 3, shape, batch: 16, lr: 1e-3, inputNoise: noise });
    const init = new RngStream(9);
    for (const layer of adv.net.linears()) initLinearDefault(be, layer, init);
    const real = be.tensor([16, 3]);
    const fake = be.tensor([16, 3]);
    be.randomCategorical(real, new RngStream(7).take(16));
    be.randomUniform(fake, new RngStream(8).take(48));
    adv.discriminatorGradients(real, fake, new RngStream(seed));
    return be.read64(adv.discriminatorLoss)[0]!;
  };
  t.equal(losses(0.5, 1), losses(0.5, 1), 'same stream, same loss');
  t.not(losses(0.5, 1), losses(0.5, 2), 'another stream, another draw');
  t.not(losses(0.5, 1), losses(0, 1), 'noise changes what D sees');
});

t.test("the models pass config.discriminatorNoise to every discriminator", async (t) => {
  for (const kind of ['semi', 'cluster', 'dimred', 'unsupervised', 'supervised'] as const) {
    const c = defaultConfig(kind);
    const model = createModel(be, { ...c, batch: 2, inFeatures: 4, hidden: 3, discriminatorNoise: 0.25 }, new RngStream(1));
    const ds = model instanceof ClusteringAAE ? [model.D_cat, model.D_gauss] : model instanceof UnsupervisedAAE ? [model.D_gauss] : [];
    t.ok(ds.length > 0, `${kind}: has discriminators`);
    for (const d of ds) t.equal(d.options.inputNoise, 0.25, `${kind}: ${d.options.name}`);
  }
});
