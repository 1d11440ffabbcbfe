// The local component layer over the toolkit (see toolkit.ts).
export { registerToolkit } from './toolkit';
export { button, setDisabled, type ButtonOptions } from './button';
export { tabs, type TabSpec, type Tabs } from './tabs';
export { dropdown, type Dropdown, type Option } from './dropdown';
export { checkbox, type Checkbox } from './checkbox';
export { textField, type TextField } from './textField';
export { badge, tag, type Tone } from './badge';
export { link } from './link';
