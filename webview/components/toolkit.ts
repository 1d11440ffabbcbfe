// The only file that imports @vscode/webview-ui-toolkit (pinned 1.4.0, deprecated upstream):
// the rest of the UI uses the wrappers in this folder, so swapping the toolkit (e.g. for
// @vscode-elements/elements) touches only webview/components/.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown,
  vsCodeOption, vsCodePanels, vsCodePanelTab, vsCodePanelView, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(),
    vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeTextField(),
  );
}
