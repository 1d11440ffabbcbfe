// Timeline: the scenario's snapshots (checkpoints and the statements the model kept) on
// a slider; every view shows the state at the selected one. Keys: the slider's own arrows,
// Home/End, and Alt+←/Alt+→ anywhere in the panel.
import { button, setDisabled } from '../components';
import type { ViewContext } from '../context';
import { h } from '../dom';

export class Timeline {
  readonly el: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly prev: HTMLElement;
  private readonly next: HTMLElement;
  private readonly label = h('span', { class: 'step-label', id: 'step-label', 'aria-live': 'polite' });
  private readonly line: HTMLButtonElement;

  constructor(private readonly ctx: ViewContext, private readonly go: (index: number) => void) {
    this.slider = h('input', {
      type: 'range', min: 0, max: 0, value: 0, step: 1, class: 'slider', id: 'timeline-slider',
      'aria-label': 'Timeline step', 'aria-describedby': 'step-label', 'aria-keyshortcuts': 'Alt+ArrowLeft Alt+ArrowRight',
    });
    this.slider.addEventListener('input', () => this.go(Number(this.slider.value)));
    this.prev = button('◀', () => this.move(-1), { appearance: 'icon', ariaLabel: 'Previous step (Alt+Left)', id: 'step-prev' });
    this.next = button('▶', () => this.move(1), { appearance: 'icon', ariaLabel: 'Next step (Alt+Right)', id: 'step-next' });
    this.line = h('button', { type: 'button', class: 'linkish', title: 'Reveal this statement in the editor' });
    this.line.addEventListener('click', () => {
      const s = ctx.step();
      if (s) ctx.reveal(s.line);
    });
    this.el = h('div', { class: 'timeline', role: 'group', 'aria-label': 'Timeline' },
      h('span', { class: 'muted' }, 'Step'), this.prev, this.slider, this.next, this.label, this.line);
    // Capture phase: the tab list would otherwise take Alt+arrows as plain arrows.
    document.addEventListener('keydown', (e) => {
      if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
      e.preventDefault();
      e.stopPropagation();
      this.move(e.key === 'ArrowLeft' ? -1 : 1);
    }, true);
  }

  private move(delta: number): void {
    const s = this.ctx.scenario();
    const step = this.ctx.step();
    if (!s || !step) return;
    const i = Math.max(0, Math.min(s.steps.length - 1, step.index + delta));
    if (i !== step.index) this.go(i);
  }

  update(): void {
    const s = this.ctx.scenario();
    const step = this.ctx.step();
    const n = s?.steps.length ?? 0;
    this.el.hidden = !s || n === 0;
    this.slider.max = String(Math.max(0, n - 1));
    this.slider.value = String(step?.index ?? 0);
    this.slider.disabled = n <= 1;
    setDisabled(this.prev, !step || step.index === 0);
    setDisabled(this.next, !step || step.index >= n - 1);
    if (!step) {
      this.label.textContent = n === 0 ? 'No snapshots in this run (add a checkpoint).' : '';
      this.line.textContent = '';
      return;
    }
    const text = `${step.index + 1} / ${n}: ${step.label} — after ${step.step.toLocaleString('en-US')} statements`;
    this.label.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
    this.line.textContent = `line ${step.line + 1}`;
  }
}
