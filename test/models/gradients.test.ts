// Finite differences through tiny whole models on the float64 reference backend: for every phase, the analytic
// gradient of the phase's loss with respect to every parameter it updates matches central differences.
// Dropout stays on: each evaluation replays the same Philox stream, so the masks are identical.
import t, { type Test } from 'tap';
import { type Tensor } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { type AaeConfig, type ModelKind, defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { DimredAAE } from '../../ts/models/dimred.js';
import { SemiSupervisedAAE } from '../../ts/models/semisupervised.js';
import { type Parameter } from '../../ts/nn/parameter.js';
import { RngStream } from '../../ts/rng.js';
import { firstMismatch } from '../helpers/data.js';
import { centralDifferences } from '../helpers/finite-diff.js';

const be = new ReferenceBackend();
const H = 1e-6;

function tiny(kind: ModelKind, settings: Partial<AaeConfig> = {}): AaeConfig {
  const c = defaultConfig(kind);
  return { ...c, batch: 4, inFeatures: 6, hidden: 5, classes: c.classes > 0 ? 3 : 0, prior: { ...c.prior, dim: 2 }, ...settings };
}

/** Checks d loss / d p for every element of every parameter in `params`, where run() recomputes loss and gradients. */
function checkPhase(tt: Test, label: string, params: Parameter[], run: () => void, loss: () => number): void {
  run();
  const analytic = params.map((p) => be.read64(p.grad));
  params.forEach((p, k) => {
    const numeric = centralDifferences(be, p.value, () => {
      run();
      return loss();
    }, H);
    const bad = firstMismatch(analytic[k]!, numeric, 1e-7, 1e-4);
    tt.equal(bad, null, `${label}: d loss / d ${p.name}`);
  });
}

const value = (x: Tensor) => be.read64(x)[0]!;

const cases: { kind: ModelKind; settings?: Partial<AaeConfig> }[] = [
  ...(['semi', 'unsupervised', 'supervised', 'cluster', 'dimred'] as ModelKind[]).map((kind) => ({ kind })),
  // Noise on Q's input and on the discriminators' inputs: the same replayed stream gives the same noise each time.
  { kind: 'semi', settings: { inputNoise: 0.3, discriminatorNoise: 0.4 } },
  { kind: 'unsupervised', settings: { discriminatorNoise: 0.4 } },
  // The labeled batch reconstructed from its labels, its gradients summed with the unlabeled batch's.
  { kind: 'semi', settings: { labeledReconstruction: true, inputNoise: 0.3 } },
  // The categorical generator loss weighted: the generator phase's loss is g_gauss + 0.3 g_cat.
  { kind: 'cluster', settings: { categoricalWeight: 0.3 } },
];

for (const { kind, settings } of cases) {
  t.test(`${kind}${settings ? ` with ${JSON.stringify(settings)}` : ''}: every phase's gradients match finite differences`, async (t) => {
    const config = tiny(kind, settings);
    const model = createModel(be, config, new RngStream(3));
    const setup = new RngStream(4);
    const x = be.tensor([4, 6]);
    be.randomUniform(x, setup.take(24));
    const y = be.tensor([4, Math.max(1, config.classes)]);
    be.randomCategorical(y, setup.take(4));
    const real = be.tensor([4, 2]);
    be.randomNormal(real, setup.take(8));
    const fresh = () => new RngStream(5);
    const m = model as unknown as Record<string, unknown>;

    const label = kind === 'supervised' ? y : undefined;
    // The dimred model's reconstruction phase also trains the cluster heads W_c (through r = W_c y + z and the
    // head cost, which it adds to the reconstruction loss).
    const heads = model instanceof DimredAAE ? [model.heads] : [];
    const headCost = () => (model instanceof DimredAAE ? value(model.headCost) : 0);
    checkPhase(t, 'reconstruction', [...model.Q.parameters(), ...model.P.parameters(), ...heads],
      () => model.reconstructionGradients(x, fresh(), { label }), () => value(model.reconLoss) + headCost());

    if (model instanceof SemiSupervisedAAE && model.labeledReconLoss) {
      const xL = be.tensor([4, 6]);
      be.randomUniform(xL, setup.take(24));
      const labeledLoss = model.labeledReconLoss;
      checkPhase(t, 'reconstruction of both batches, the labeled one from its labels', [...model.Q.parameters(), ...model.P.parameters()], () => {
        const rng = fresh();
        model.reconstructionGradients(x, rng);
        model.reconstructionGradients(xL, rng, { label: y, loss: labeledLoss, accumulate: true });
      }, () => value(model.reconLoss) + value(labeledLoss));
    }

    const D_gauss = m['D_gauss'] as { net: { parameters(): Parameter[] }; discriminatorGradients(r: Tensor, f: Tensor, g: RngStream): void; discriminatorLoss: Tensor; generatorLoss: Tensor };
    checkPhase(t, 'discriminator D_gauss', D_gauss.net.parameters(), () => {
      const rng = fresh();
      model.encode(x, rng);
      D_gauss.discriminatorGradients(real, model.Q.z, rng);
    }, () => value(D_gauss.discriminatorLoss));

    const gen = m as unknown as { generatorGradients(x: Tensor, rng: RngStream): void };
    const D_cat = m['D_cat'] as typeof D_gauss | undefined;
    checkPhase(t, 'generator', model.Q.parameters(), () => gen.generatorGradients(x, fresh()),
      () => value(D_gauss.generatorLoss) + (D_cat ? (config.categoricalWeight ?? 1) * value(D_cat.generatorLoss) : 0));

    if (D_cat) {
      const realCat = be.tensor([4, config.classes]);
      be.randomCategorical(realCat, setup.take(4));
      checkPhase(t, 'discriminator D_cat', D_cat.net.parameters(), () => {
        const rng = fresh();
        model.encode(x, rng);
        D_cat.discriminatorGradients(realCat, model.Q.y!, rng);
      }, () => value(D_cat.discriminatorLoss));
    }
    if (kind === 'semi' || kind === 'dimred') {
      const semi = m as unknown as { classifierGradients(x: Tensor, y: Tensor, rng: RngStream): void; crossEntropy: Tensor };
      checkPhase(t, 'cross-entropy', model.Q.classifierParameters(), () => semi.classifierGradients(x, y, fresh()), () => value(semi.crossEntropy));
    }
  });
}
