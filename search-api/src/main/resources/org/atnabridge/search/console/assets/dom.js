// Builds DOM nodes from text only: every value becomes a text node (textContent), never markup,
// so an audit event carrying "<script>" in any field is shown as the characters it contains.

/** An element with attributes (no event handler attributes) and children (nodes or strings). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) throw new Error('no inline handlers: ' + name);
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of {@code el} with {@code children}, leaving out null and false. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Replaces the children of the main region and moves focus there for screen readers. */
export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren();
  append(main, children);
  return main;
}

/** A status line that assistive technology announces. */
export function status(text, kind = 'status') {
  return h('p', { class: kind === 'error' ? 'error' : 'status', role: kind === 'error' ? 'alert' : 'status' }, text);
}
