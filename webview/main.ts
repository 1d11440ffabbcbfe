// Entry of the side panel bundle (dist/webview.js, an iife loaded under a nonce CSP).
import { App } from './app';

const root = document.getElementById('app');
if (root) new App(root);
