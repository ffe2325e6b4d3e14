// Sign up and log in. The token and user go to localStorage; admins land on the admin page.
import { api, describeError, session } from "../api.js";
import { append, busy, field, formError, h } from "../dom.js";
import { navigate, setTitle } from "../ui.js";

/** Only in-app hashes are followed after logging in. */
const safeNext = (next) => (typeof next === "string" && /^#\/[\w\-/?=&.%]*$/.test(next) ? next : null);

export function authView(main, { mode, query }) {
  const signup = mode === "signup";
  setTitle(signup ? "Sign up" : "Log in");
  const next = safeNext(query.get("next"));
  const name = h("input", { name: "name", autocomplete: "name", required: true, maxlength: "100", "data-testid": "signup-name" });
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true, "data-testid": `${mode}-email` });
  const password = h("input", { type: "password", name: "password", autocomplete: signup ? "new-password" : "current-password", required: true, minlength: signup ? "8" : null, "data-testid": `${mode}-password` });
  const submit = h("button", { type: "submit", class: "button", "data-testid": `${mode}-submit` }, signup ? "Create account" : "Log in");
  const error = formError(`${mode}-error`);

  const form = h("form", { class: "card form narrow", "aria-labelledby": "auth-title", novalidate: true },
    signup ? field("Your name", name) : null,
    field("Email", email),
    field("Password", password, signup ? "At least 8 characters." : null),
    error,
    h("div", { class: "actions" }, submit));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const missing = [signup ? [name, "your name"] : null, [email, "your email"], [password, "a password"]].filter((x) => x && !x[0].value.trim());
    if (missing.length) {
      error.textContent = `Enter ${missing.map((m) => m[1]).join(", ")}.`;
      missing[0][0].focus();
      return;
    }
    if (signup && password.value.length < 8) {
      error.textContent = "The password needs at least 8 characters.";
      password.focus();
      return;
    }
    try {
      await busy(submit, async () => {
        const body = signup ? { name: name.value.trim(), email: email.value.trim(), password: password.value } : { email: email.value.trim(), password: password.value };
        const reply = await api("POST", signup ? "/auth/register" : "/auth/login", { body });
        session.set(reply);
        const home = reply.user.role === "admin" ? "#/admin" : "#/";
        navigate(next ?? home, { message: signup ? `Welcome to Marquee, ${reply.user.name}.` : `Signed in as ${reply.user.name}.` });
      }, signup ? "Creating account…" : "Logging in…");
    } catch (err) {
      error.textContent = describeError(err);
      (err.type === "EMAIL_TAKEN" || err.status === 401 ? email : submit).focus();
    }
  });

  const other = signup
    ? h("p", null, "Already have an account? ", h("a", { href: `#/login${next ? `?next=${encodeURIComponent(next)}` : ""}` }, "Log in"))
    : h("p", null, "New here? ", h("a", { href: `#/signup${next ? `?next=${encodeURIComponent(next)}` : ""}` }, "Create an account"));

  append(main, [
    h("h1", { id: "auth-title", tabindex: "-1" }, signup ? "Create your account" : "Log in"),
    next ? h("p", null, "Log in to hold seats and pay.") : null,
    form,
    other]);
}
