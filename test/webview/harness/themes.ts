// The theme variables VS Code injects into a webview (a subset of Default Light+/Dark+ and
// Default High Contrast, the ones the panel and the toolkit read), plus the body class
// and data attribute VS Code sets, so screenshots look like the panel does in VS Code.

export type ThemeKind = 'light' | 'dark' | 'high-contrast';

const common: Record<string, string> = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-size': '13px',
  'editor-font-weight': 'normal',
};

const dark: Record<string, string> = {
  'foreground': '#cccccc', 'descriptionForeground': '#ccccccb3', 'errorForeground': '#f48771', 'focusBorder': '#007fd4',
  'editor-background': '#1e1e1e', 'editor-foreground': '#d4d4d4', 'panel-background': '#1e1e1e', 'panel-border': '#80808059',
  'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': '#37373d', 'textLink-foreground': '#3794ff', 'textLink-activeForeground': '#3794ff',
  'editorError-foreground': '#f14c4c', 'editorWarning-foreground': '#cca700', 'inputValidation-errorBackground': '#5a1d1d',
  'inputValidation-warningBackground': '#352a05', 'diffEditor-removedTextBackground': '#ff000033',
  'button-background': '#0e639c', 'button-foreground': '#ffffff', 'button-hoverBackground': '#1177bb',
  'button-secondaryBackground': '#3a3d41', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#45494e',
  'dropdown-background': '#3c3c3c', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#f0f0f0', 'dropdown-listBackground': '#252526',
  'input-background': '#3c3c3c', 'input-foreground': '#cccccc', 'input-placeholderForeground': '#a6a6a6',
  'checkbox-background': '#3c3c3c', 'checkbox-border': '#6b6b6b', 'checkbox-foreground': '#f0f0f0',
  'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff', 'panelTitle-activeBorder': '#e7e7e7',
  'panelTitle-activeForeground': '#e7e7e7', 'panelTitle-inactiveForeground': '#e7e7e799', 'panelSection-border': '#80808059',
  'editorGroupHeader-tabsBackground': '#252526', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff', 'charts-foreground': '#cccccc',
  'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
  'charts-lines': '#cccccc80', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
  'scrollbarSlider-background': '#79797966', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#bfbfbf66',
  'icon-foreground': '#c5c5c5', 'toolbar-hoverBackground': '#5a5d5e50', 'settings-dropdownListBorder': '#454545',
  'progressBar-background': '#0e70c0', 'widget-shadow': '#0000005c',
  'editorInfo-foreground': '#3794ff', 'textBlockQuote-background': '#7f7f7f1a', 'textCodeBlock-background': '#0a0a0a66',
};

const light: Record<string, string> = {
  'foreground': '#616161', 'descriptionForeground': '#717171', 'errorForeground': '#a1260d', 'focusBorder': '#0090f1',
  'editor-background': '#ffffff', 'editor-foreground': '#000000', 'panel-background': '#ffffff', 'panel-border': '#80808059',
  'list-hoverBackground': '#e8e8e8', 'list-activeSelectionBackground': '#0060c0', 'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': '#e4e6f1', 'textLink-foreground': '#006ab1', 'textLink-activeForeground': '#006ab1',
  'editorError-foreground': '#e51400', 'editorWarning-foreground': '#bf8803', 'inputValidation-errorBackground': '#f2dede',
  'inputValidation-warningBackground': '#f6f5d2', 'diffEditor-removedTextBackground': '#ff000033',
  'button-background': '#007acc', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0062a3',
  'button-secondaryBackground': '#5f6a79', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#4c5561',
  'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#616161', 'dropdown-listBackground': '#ffffff',
  'input-background': '#ffffff', 'input-foreground': '#616161', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
  'checkbox-background': '#ffffff', 'checkbox-border': '#919191', 'checkbox-foreground': '#616161',
  'badge-background': '#c4c4c4', 'badge-foreground': '#333333', 'panelTitle-activeBorder': '#424242',
  'panelTitle-activeForeground': '#424242', 'panelTitle-inactiveForeground': '#424242bf', 'panelSection-border': '#80808059',
  'editorGroupHeader-tabsBackground': '#f3f3f3', 'charts-red': '#e51400', 'charts-blue': '#1a85ff', 'charts-foreground': '#616161',
  'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90',
  'charts-lines': '#61616180', 'testing-iconPassed': '#388a34', 'testing-iconFailed': '#f14c4c',
  'scrollbarSlider-background': '#64646466', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#00000099',
  'icon-foreground': '#424242', 'toolbar-hoverBackground': '#b8b8b850', 'settings-dropdownListBorder': '#c8c8c8',
  'progressBar-background': '#0e70c0', 'widget-shadow': '#00000029',
  'editorInfo-foreground': '#1a85ff', 'textBlockQuote-background': '#7f7f7f1a', 'textCodeBlock-background': '#dcdcdc66',
};

const highContrast: Record<string, string> = {
  ...dark,
  'foreground': '#ffffff', 'descriptionForeground': '#ffffff', 'errorForeground': '#f48771', 'focusBorder': '#f38518',
  'contrastBorder': '#6fc3df', 'contrastActiveBorder': '#f38518',
  'editor-background': '#000000', 'panel-background': '#000000', 'panel-border': '#6fc3df',
  'list-hoverBackground': '#000000', 'list-activeSelectionBackground': '#000000', 'list-inactiveSelectionBackground': '#000000',
  'textLink-foreground': '#21a6ff', 'inputValidation-errorBackground': '#000000', 'inputValidation-warningBackground': '#000000',
  'diffEditor-removedTextBackground': '#000000', 'button-background': '#000000', 'button-border': '#6fc3df',
  'dropdown-background': '#000000', 'dropdown-border': '#6fc3df', 'input-background': '#000000', 'input-border': '#6fc3df',
  'checkbox-background': '#000000', 'checkbox-border': '#6fc3df', 'badge-background': '#000000', 'badge-foreground': '#ffffff',
  'editorGroupHeader-tabsBackground': '#000000', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
  'charts-yellow': '#ffff00', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-orange': '#d18616',
  'textBlockQuote-background': '#000000', 'textCodeBlock-background': '#000000',
};

export function themeVariables(kind: ThemeKind): Record<string, string> {
  const vars = { ...common, ...(kind === 'light' ? light : kind === 'dark' ? dark : highContrast) };
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [`--vscode-${k}`, v]));
}

/** The body class VS Code sets (vscode-light / vscode-dark / vscode-high-contrast). */
export function bodyClass(kind: ThemeKind): string {
  return `vscode-${kind}`;
}
