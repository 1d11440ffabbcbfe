// Seeded random scenarios: invariants the domain reference states for whole classes of
// configurations (model.md "Validation targets"; domain §1.3, §1.4, §7).
import { strict as assert } from 'node:assert';
import { run } from './helpers';
import { randomScenario } from './randomScenario';

const KERNELS = ['5.17', '6.2', '6.3', '6.4'];
const SEEDS = [1, 2, 3, 4, 5, 6];

function configs(base: string): string[] {
  const out: string[] = [];
  for (const k of KERNELS) for (const tdp of ['on', 'off']) for (const alloc of ['lifo', 'fifo']) out.push(`${base} kernel=${k} tdp_mmu=${tdp} allocator=${alloc}`);
  return out;
}

describe('invariants over seeded random scenarios', function () {
  this.timeout(120000);
  const safe: [string, string][] = [
    ['host=bare (no L0 shadow: an ASID flush drops everything the TLB derived)', 'host=bare'],
    ['enlightened_tlb=off (an ASID flush also drops shadow[nCR3], §1.3)', 'host=hyperv cpu=svm enlightened_tlb=off'],
    ['cpu=vmx (kvm_mmu_load ends in INVEPT of the new EPTP, §1.4)', 'host=hyperv cpu=vmx enlightened_tlb=on'],
    ['cpu=vmx without the guest-mapping flush hypercalls', 'host=hyperv cpu=vmx enlightened_tlb=off'],
  ];
  for (const [name, base] of safe) {
    it(`never stale: ${name}`, () => {
      for (const seed of SEEDS) {
        for (const vcpus of [1, 3]) {
          const body = randomScenario(seed * 7 + vcpus, vcpus, 60);
          for (const cfg of configs(`${base} vcpus=${vcpus}`)) {
            const r = run(cfg, body);
            assert.equal(r.metrics.stale, 0, `${cfg} seed ${seed}: ${JSON.stringify(r.stale[0]?.blame)}\n${body.join('\n')}`);
            assert.equal(r.failures.filter((f) => f.message.startsWith('internal')).length, 0);
          }
        }
      }
    });
  }

  it('the TDP MMU with 6.3 / 6.4 / fix b is never stale on these seeds (svm_flush_tlb_current flushes every load)', () => {
    for (const seed of SEEDS) {
      for (const vcpus of [1, 3]) {
        const body = randomScenario(seed * 13 + vcpus, vcpus, 60);
        for (const v of ['kernel=6.3', 'kernel=6.4', 'kernel=6.2 fix=b']) {
          const r = run(`host=hyperv cpu=svm enlightened_tlb=on tdp_mmu=on vcpus=${vcpus} ${v}`, body);
          assert.equal(r.metrics.stale, 0, `${v} seed ${seed}\n${body.join('\n')}`);
        }
      }
    }
  });

  // Fix a flushes in tdp_mmu_alloc_sp only. guest_mmu (L3) roots come from kvm_mmu_get_shadow_page
  // (kvm_init_shadow_npt_mmu makes guest_mmu indirect), so a page freed by the TDP MMU without a flush
  // that comes back as an L3 root, or a kept L3 root edited while unloaded (docs/model.md findings), is
  // reloaded with an ASID flush only. Without L3 every root is a TDP root and fix a covers it.
  it('fix a is never stale on these seeds once the L3 statements are taken out', () => {
    for (const seed of SEEDS) {
      for (const vcpus of [1, 3]) {
        const body = randomScenario(seed * 13 + vcpus, vcpus, 60).filter((l) => !/\bnested\b/.test(l));
        const r = run(`host=hyperv cpu=svm enlightened_tlb=on tdp_mmu=on vcpus=${vcpus} kernel=6.2 fix=a`, body);
        assert.equal(r.metrics.stale, 0, `fix a seed ${seed}\n${body.join('\n')}`);
      }
    }
  });

  it('trace on or off gives the same metrics', () => {
    for (const seed of SEEDS) {
      const body = randomScenario(seed, 2, 80);
      for (const cfg of ['host=hyperv kernel=6.2 vcpus=2', 'host=hyperv kernel=5.17 tdp_mmu=off vcpus=2', 'host=hyperv cpu=vmx vcpus=2']) {
        const a = run(cfg, body, { trace: false });
        const b = run(cfg, body, { trace: true, traceLimit: 50 });
        assert.deepEqual(a.metrics, b.metrics);
        assert.deepEqual(a.stale, b.stale);
      }
    }
  });

  it('the same file and seed give byte-identical JSON; another seed may differ', () => {
    const body = randomScenario(11, 2, 80);
    const a = JSON.stringify(run('host=hyperv kernel=6.2 vcpus=2 seed=5', body, { trace: true }));
    const b = JSON.stringify(run('host=hyperv kernel=6.2 vcpus=2 seed=5', body, { trace: true }));
    assert.equal(a, b);
    assert.ok(a.length > 1000);
  });

  it('every random scenario runs without an internal error in every configuration', () => {
    for (const seed of SEEDS) {
      const body = randomScenario(seed + 100, 2, 60);
      for (const cfg of configs('host=hyperv cpu=svm enlightened_tlb=on vcpus=2')) {
        for (const fix of cfg.includes('tdp_mmu=off') ? ['none', 'b'] : ['none', 'a', 'b']) {
          if (fix !== 'none' && /kernel=6\.[34]/.test(cfg)) continue; // 6.3+ already contain the fix (checker rejects)
          const r = run(`${cfg} fix=${fix}`, body);
          assert.ok(!r.notes.some((n) => n.startsWith('internal')), `${cfg} fix=${fix}: ${r.notes.join('; ')}`);
        }
      }
    }
  });
});
