// The settings form. It knows field names and how to show things; what is valid is the
// core's call (parseSettings), so the form and the URL give the same messages.
import { fmt } from "./format.js";

/** Inputs in which Enter does not submit a form (so does not run here either). */
const NOT_TYPED = new Set(["button", "checkbox", "radio", "submit", "reset", "file", "range"]);
/** Buttons that start something: live between runs, locked during one. */
const BUTTONS = ["run", "compare", "preset", "counter-run", "sweep-run", "convoy-run"];

export class Controls {
  #form;
  #workloads;
  #fields;

  /**
   * `workloads`: the core's workload list; `fields`: every setting's name, in the core's
   * order (settings::NAMES), which is also each field's name and its error box's id prefix;
   * `maxWorkers`: the core's cap on workers, said beside the field.
   */
  constructor(form, workloads, fields, maxWorkers) {
    this.#form = form;
    this.#fields = fields;
    this.#workloads = new Map(workloads.map((w) => [w.id, w]));
    const select = form.elements.workload;
    for (const w of workloads) if (!w.experiment) select.add(new Option(w.label, w.id));
    document.getElementById("workers-max").textContent = String(maxWorkers);
  }

  /** The form's fields as [name, value] pairs, the shape parseSettings reads. */
  pairs() {
    return this.#fields.map((name) => {
      const el = this.#form.elements[name];
      if (el?.type === "checkbox") return [name, el.checked ? "1" : "0"];
      return [name, String(el?.value ?? "")];
    });
  }

  /** Puts settings into the fields. */
  apply(settings) {
    const els = this.#form.elements;
    els.workload.value = settings.workload;
    els.size.value = String(settings.size);
    els.tasks.value = String(settings.tasks);
    els.chunksize.value = String(settings.chunksize);
    els.workers.value = String(settings.workers);
    els.fail.value = settings.fail ?? "";
    els.timeout.value = settings.timeout ?? "";
    els.mode.value = settings.mode;
    els.gil.checked = settings.gil;
    els.repeats.value = String(settings.repeats);
    els.warmup.checked = settings.warmup;
    this.#checkScale(settings.scale);
    if (settings.fail != null) this.#form.querySelector("details.fault").open = true;
    this.#describe(settings.workload);
  }

  // The scale control offers 1× and 0.1×; a URL may ask for another scale, which gets its own
  // option rather than being silently rounded.
  #checkScale(scale) {
    const radios = [...this.#form.elements.scale];
    let radio = radios.find((r) => Number(r.value) === scale);
    if (!radio) {
      const label = document.createElement("label");
      label.innerHTML = `<input type="radio" name="scale" form="controls" /> ${scale}×`;
      radio = label.firstElementChild;
      radio.value = String(scale);
      radios.at(-1).closest("label").after(label);
    }
    radio.checked = true;
  }

  #describe(id) {
    const w = this.#workloads.get(id);
    if (!w) return;
    document.getElementById("workload-blurb").textContent = w.blurb;
    document.getElementById("size-label").textContent = `(${w.size_label})`;
    document.getElementById("size-hint").textContent =
      `${fmt.format(w.min_size)} to ${fmt.format(w.max_size)}.`;
  }

  /** The names of the fields that show an error now. */
  shownErrors() {
    return new Set(
      this.#fields.filter((name) => document.getElementById(`${name}-error`)?.hidden === false),
    );
  }

  /** Shows each error beside its field and clears the rest; focuses the first bad field. */
  showErrors(errors, { focus = false } = {}) {
    for (const name of this.#fields) {
      const message = errors.find((e) => e.field === name)?.message;
      const box = document.getElementById(`${name}-error`);
      if (box) {
        box.textContent = message ?? "";
        box.hidden = !message;
      }
      const el = this.#form.elements[name];
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) {
        el.toggleAttribute("aria-invalid", Boolean(message));
      }
    }
    if (focus && errors.length > 0) {
      const first = this.#form.elements[errors[0].field];
      if (first instanceof HTMLElement) {
        first.closest("details")?.setAttribute("open", "");
        first.focus();
      }
    }
  }

  /** Enables the form; `modes` maps a mode name to true or to the reason it cannot run. */
  enable(modes) {
    for (const el of this.#form.elements) {
      if (el.name === "mode") {
        const ok = modes[el.value] === true;
        el.disabled = !ok;
        el.closest("label").title = ok ? "" : modes[el.value] || "";
      } else if (el.name === "gil") el.disabled = modes.threads !== true;
      else el.disabled = false;
    }
    for (const id of BUTTONS) document.getElementById(id).disabled = false;
    document.getElementById("stop").disabled = true;
    this.#form.removeAttribute("aria-busy");
  }

  /** Locks the settings while a run is going; only Stop stays live. */
  lock() {
    for (const el of this.#form.elements) if (el.id !== "stop") el.disabled = true;
    for (const id of BUTTONS) document.getElementById(id).disabled = true;
    document.getElementById("stop").disabled = false;
    this.#form.setAttribute("aria-busy", "true");
  }

  /**
   * Calls `onChange(event)` when a field changes, `onErrorsMayClear(shown)` while a field
   * showing an error is typed in, and `onEnter()` for Enter in a text field.
   */
  listen({ onChange, onErrorsMayClear, onEnter }) {
    // Listen on the document: the time-scale radios belong to the form (form="controls") but
    // sit outside it, and their events bubble through their own ancestors only.
    const ofForm = (listener) => (event) => event.target.form === this.#form && listener(event);
    document.addEventListener("change", ofForm(onChange));
    // Errors first appear when Run is pressed, never when a field loses focus: a message
    // appearing on blur would push the button away from under the pointer mid-click. Once
    // shown, an error follows the typing, so it clears as soon as the value is good.
    document.addEventListener(
      "input",
      ofForm(() => {
        const shown = this.shownErrors();
        if (shown.size > 0) onErrorsMayClear(shown);
      }),
    );
    // Enter in a field runs, as it would submit a form; the form itself is never submitted
    // (a frame sandboxed without allow-forms, common in CMS embed wrappers, blocks that).
    this.#form.addEventListener("submit", (event) => event.preventDefault());
    document.addEventListener(
      "keydown",
      ofForm((event) => {
        const field = event.target;
        if (event.key !== "Enter" || event.isComposing) return;
        // Where a form submits implicitly: text-like fields, not boxes or buttons.
        if (!(field instanceof HTMLInputElement) || NOT_TYPED.has(field.type)) return;
        event.preventDefault();
        onEnter();
      }),
    );
  }
}
