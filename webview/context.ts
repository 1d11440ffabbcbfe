// What every view gets from the app: the host connection, the persisted view state and
// the current run/scenario/step.
import type { PanelState, RowFilter, ScenarioView, StepView, TableName } from '../src/protocol';
import type { FetchRows, VirtualTableOptions } from './grid/virtualTable';
import type { Host } from './host';
import type { TabId, ViewState } from './state';

export type UpdateReason = 'run' | 'scenario' | 'step';

export interface View {
  readonly el: HTMLElement;
  update(reason: UpdateReason): void;
}

export interface ViewContext {
  readonly host: Host;
  readonly state: ViewState;
  save(): void;
  panel(): PanelState | null;
  scenario(): ScenarioView | null;
  step(): StepView | null;
  reveal(line: number): void;
  /** Moves the timeline to the first snapshot taken at or after statement clock `step`. */
  goToClock(step: number): void;
  /** Shows the lifecycle chart with the translation path of the stale use at clock `step`. */
  showStaleAt(step: number, as: number | null): void;
  /** Shows another scenario of the panel (a Compare point's run) on a tab. */
  openScenario(name: string, tab: TabId): void;
  /** A row source for a table under the current run, scenario and step. */
  rows(table: TableName, filter: () => RowFilter): FetchRows;
  /** What a table keeps in the saved state: sort, chosen columns, scroll offset. */
  tableState(table: TableName): Pick<VirtualTableOptions, 'sort' | 'onSort' | 'columnPrefs' | 'onColumns' | 'scrollTop' | 'onScroll'>;
}
