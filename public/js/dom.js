// Tiny DOM helpers: elements are built with h() (never innerHTML), so text from the server is
// always text.

/**
 * h("button", {class: "x", onclick: fn, "aria-pressed": "false"}, "child", otherNode)
 * Attributes that are null, undefined or false are left out; true sets an empty attribute.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") {
      for (const [prop, v] of Object.entries(value)) {
        if (prop.startsWith("--")) el.style.setProperty(prop, v);
        else el.style[prop] = v;
      }
    }
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "value" && "value" in el) el.value = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

let ids = 0;
/** A unique id for label/aria wiring. */
export const uid = (prefix = "id") => `${prefix}-${++ids}`;

/** A labelled form field: <div class="field"><label>…</label><input …><p class="hint">…</p></div>. */
export function field(label, control, hint) {
  control.id ||= uid("f");
  const wrap = h("div", { class: "field" }, h("label", { for: control.id }, label), control);
  if (hint) {
    const hintEl = h("p", { class: "hint", id: uid("hint") }, hint);
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), hintEl.id].filter(Boolean).join(" "));
    wrap.append(hintEl);
  }
  return wrap;
}

/** A form's own error box (role=alert), shown next to the submit button. */
export function formError(testid) {
  return h("p", { class: "form-error", role: "alert", "data-testid": testid });
}

/** Disables a button while `work` runs, so a double click never sends twice. */
export async function busy(button, work, label) {
  const before = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  if (label) button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (label) button.textContent = before;
  }
}
