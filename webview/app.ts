// The panel: header, timeline and the tabbed views, kept in sync with the host's pushes
// and the user's selection (scenario, step, tab), which survives reloads via setState.
import { MAX_VIEW_STATE_CHARS, type PanelState, type RowFilter, type ScenarioView, type SelectMessage, type StateMessage, type StepView, type TableName } from '../src/protocol';
import { registerToolkit, tabs, type Tabs } from './components';
import type { UpdateReason, View, ViewContext } from './context';
import { h } from './dom';
import type { FetchRows } from './grid/virtualTable';
import { Host } from './host';
import { restoreState, TAB_IDS, type TabId, type ViewState } from './state';
import { CompareView } from './views/compareView';
import { CountersView } from './views/countersView';
import { LifecycleChart } from './views/lifecycleView';
import { Header } from './views/header';
import { PageTablesView } from './views/pageTablesView';
import { RootsView } from './views/rootsView';
import { Timeline } from './views/timeline';
import { TlbView } from './views/tlbView';
import { TraceView } from './views/traceView';

const TAB_LABELS: Readonly<Record<TabId, string>> = {
  life: 'Lifecycle', roots: 'Roots', tlb: 'TLB', pages: 'Page tables', trace: 'Trace', counters: 'Counters & cost', compare: 'Compare',
};
const REASON_WEIGHT: Readonly<Record<UpdateReason, number>> = { step: 1, run: 2, scenario: 3 };

export class App implements ViewContext {
  readonly host: Host;
  readonly state: ViewState;
  private current: PanelState | null = null;
  private readonly views: Record<TabId, View>;
  private readonly dirty = new Map<TabId, UpdateReason>();
  private readonly header: Header;
  private readonly timeline: Timeline;
  private readonly tabs: Tabs;
  private readonly message = h('p', { class: 'message', role: 'status' }, 'Waiting for the extension…');
  private readonly noSnapshot = h('p', { class: 'notice', role: 'note', id: 'no-snapshot' },
    'This scenario kept no snapshot: the model saves roots, TLB, shadows and page tables at each ',
    h('code', {}, 'checkpoint "LABEL"'), ' statement. Add one (for example at the end of the scenario) and run again; the trace, counters and Compare need none.');
  private readonly main: HTMLElement;

  constructor(root: HTMLElement) {
    registerToolkit();
    this.host = new Host({ onState: (m) => this.onState(m), onSelect: (m) => this.onSelect(m) });
    // A panel VS Code kept (hidden, reloaded) has its own state; a new one starts where the last one was closed.
    this.state = restoreState(this.host.getState() ?? initialView(root));
    this.header = new Header(this, (name) => this.selectScenario(name));
    this.timeline = new Timeline(this, (i) => this.goStep(i));
    this.views = {
      life: new LifecycleChart(this), roots: new RootsView(this), tlb: new TlbView(this), pages: new PageTablesView(this),
      trace: new TraceView(this), counters: new CountersView(this), compare: new CompareView(this),
    };
    this.tabs = tabs(TAB_IDS.map((id) => ({ id, label: TAB_LABELS[id], content: this.views[id].el })), this.state.tab, (id) => this.selectTab(id as TabId), 'State views');
    this.main = h('main', { class: 'main', hidden: true }, this.timeline.el, this.noSnapshot, this.tabs.el);
    root.append(this.header.el, this.message, this.main);
    this.host.post({ type: 'ready' });
  }

  // ViewContext ---------------------------------------------------------------------------

  private viewTimer: ReturnType<typeof setTimeout> | undefined;

  save(): void {
    this.host.setState(this.state);
    // The host keeps a copy for the next panel (closing a panel drops its getState).
    if (this.viewTimer !== undefined) clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => {
      const json = JSON.stringify(this.state);
      if (json.length <= MAX_VIEW_STATE_CHARS) this.host.post({ type: 'viewState', state: JSON.parse(json) as Record<string, unknown> });
    }, 300);
  }

  panel(): PanelState | null {
    return this.current;
  }

  scenario(): ScenarioView | null {
    const p = this.current;
    if (!p || p.scenarios.length === 0) return null;
    return p.scenarios.find((s) => s.name === this.state.scenario) ?? p.scenarios[0]!;
  }

  step(): StepView | null {
    const s = this.scenario();
    if (!s || s.steps.length === 0) return null;
    const i = this.state.step;
    return s.steps[i === null || i >= s.steps.length ? s.steps.length - 1 : i]!;
  }

  reveal(line: number): void {
    this.host.post({ type: 'revealLine', line });
  }

  showStaleAt(step: number, as: number | null): void {
    this.selectTab('life');
    this.tabs.select('life');
    (this.views.life as LifecycleChart).selectUseAt(step, as);
  }

  openScenario(name: string, tab: TabId): void {
    this.selectScenario(name);
    this.selectTab(tab);
    this.tabs.select(tab);
  }

  goToClock(step: number): void {
    const s = this.scenario();
    if (!s || s.steps.length === 0) return;
    const i = s.steps.findIndex((x) => x.step >= step);
    this.goStep(i < 0 ? s.steps.length - 1 : i);
  }

  rows(table: TableName, filter: () => RowFilter): FetchRows {
    return (offset, limit) => {
      const p = this.current;
      const s = this.scenario();
      if (!p || !s) return Promise.resolve({ total: 0, rows: [] });
      return this.host.getRows({
        type: 'getRows', runId: p.runId, table, scenario: s.index, step: this.step()?.index ?? 0,
        offset, limit, filter: filter(), sort: this.state.sorts[table] ?? null,
      });
    };
  }

  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  tableState(table: TableName): ReturnType<ViewContext['tableState']> {
    const st = this.state;
    const prefs = st.columns[table] ?? (st.columns[table] = {});
    return {
      sort: st.sorts[table] ?? null,
      onSort: (s) => { st.sorts[table] = s; this.save(); },
      columnPrefs: prefs,
      onColumns: (p) => { st.columns[table] = p; this.save(); },
      scrollTop: st.scroll[table],
      onScroll: (top) => {
        st.scroll[table] = Math.round(top);
        if (this.scrollTimer !== undefined) clearTimeout(this.scrollTimer);
        this.scrollTimer = setTimeout(() => this.save(), 250);
      },
    };
  }

  // Host pushes -----------------------------------------------------------------------------

  private onState(m: StateMessage): void {
    // Another document: its scenarios and steps are not ours. (A first push after a restore
    // names the saved document, so the saved selection survives.)
    const previous = this.current?.uri ?? this.state.uri;
    const compareBefore = this.current ? JSON.stringify(this.current.compare) : null;
    this.current = m.state;
    // A new comparison (the last action was Compare): show it.
    if (m.state.compare && compareBefore !== null && compareBefore !== JSON.stringify(m.state.compare)) {
      this.state.tab = 'compare';
      this.tabs.select('compare');
    }
    if (previous !== null && previous !== m.state.uri) {
      this.state.scenario = null;
      this.state.step = null;
    }
    this.state.uri = m.state.uri;
    const s = this.scenario();
    if (s && this.state.scenario !== s.name) {
      this.state.scenario = s.name;
      this.state.step = null;
    }
    // Until a tab is chosen, a run with a stale use opens on the picture of why.
    if (!this.state.tabChosen && s && s.stale.length > 0 && this.state.tab !== 'life' && this.state.tab !== 'compare') {
      this.state.tab = 'life';
      this.tabs.select('life');
    }
    this.save();
    this.refresh('run');
    document.body.dataset['runId'] = String(m.state.runId);
  }

  private onSelect(m: SelectMessage): void {
    const s = this.current?.scenarios[m.scenario];
    if (s) this.selectScenario(s.name);
  }

  // User actions ----------------------------------------------------------------------------

  private selectScenario(name: string): void {
    if (name === this.state.scenario) return;
    this.state.scenario = name;
    this.state.step = null;
    this.saveSelection();
    this.refresh('scenario');
  }

  private goStep(i: number): void {
    const s = this.scenario();
    if (!s) return;
    this.state.step = i >= s.steps.length - 1 ? null : Math.max(0, i);
    this.saveSelection();
    this.refresh('step');
  }

  private selectTab(id: TabId): void {
    this.state.tab = id;
    this.state.tabChosen = true;
    this.saveSelection();
    this.flush(id);
  }

  private saveSelection(): void {
    this.save();
    const s = this.scenario();
    this.host.post({ type: 'selection', scenario: s?.index ?? 0, step: this.step()?.index ?? 0, tab: this.state.tab });
  }

  private refresh(reason: UpdateReason): void {
    const p = this.current;
    const show = !!p && p.message === '' && p.scenarios.length > 0;
    this.message.hidden = show;
    this.message.textContent = p?.message || 'Nothing to show.';
    this.main.hidden = !show;
    this.header.update();
    this.timeline.update();
    this.noSnapshot.hidden = !show || this.step() !== null;
    const counts = this.step()?.counts;
    this.tabs.setLabel('tlb', counts ? `TLB (${counts.tlb.toLocaleString('en-US')})` : TAB_LABELS.tlb);
    this.tabs.setLabel('roots', counts ? `Roots (${counts.roots})` : TAB_LABELS.roots);
    this.tabs.setLabel('trace', counts ? `Trace (${counts.trace.toLocaleString('en-US')})` : TAB_LABELS.trace);
    for (const id of TAB_IDS) {
      const prev = this.dirty.get(id);
      if (!prev || REASON_WEIGHT[reason] > REASON_WEIGHT[prev]) this.dirty.set(id, reason);
    }
    if (show) this.flush(this.state.tab);
    document.body.dataset['step'] = String(this.step()?.index ?? -1);
  }

  /** Views update when shown: a hidden view only remembers that it is out of date. */
  private flush(id: TabId): void {
    const reason = this.dirty.get(id);
    if (!reason || !this.current) return;
    this.dirty.delete(id);
    this.views[id].update(reason);
  }
}

/** The view state the host put on the page for a new panel (html.ts `data-view`), or undefined. */
function initialView(root: HTMLElement): unknown {
  const raw = root.dataset['view'];
  if (!raw) return undefined;
  try { return JSON.parse(raw) as unknown; } catch { return undefined; }
}
