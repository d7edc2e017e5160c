// The settings in force: read from the form or the link by the core (parseSettings: one set
// of rules and messages for both), and written back to the link, the code panes and the
// embed snippets whenever they change.
import { banner } from "./banner.js";
import { showLinks } from "./embed.js";
import { putSettingsInLink } from "./link.js";

export class Settings {
  #core;
  #controls;
  #cpus;
  #workloads;

  /**
   * `core()`: the page's core instance now (it is replaced after a panic); `controls`: the
   * form; `cpus`: the default worker count; `workloads`: the core's list.
   */
  constructor({ core, controls, cpus, workloads }) {
    this.#core = core;
    this.#controls = controls;
    this.#cpus = cpus;
    this.#workloads = new Map(workloads.map((w) => [w.id, w]));
  }

  /** The core's reading of [name, value] pairs: {settings, errors, ignored}. */
  parse(pairs) {
    return this.#core().parseSettings(pairs, this.#cpus);
  }

  /** What the form says now (defaults standing in for what is wrong). */
  current() {
    return this.parse(this.#controls.pairs()).settings;
  }

  /** A workload's info from the core (its label, sizes, Python, kernel file). */
  workload(id) {
    return this.#workloads.get(id);
  }

  /**
   * `settings` with some fields changed, read again by the core so its rules still hold
   * (the GIL belongs to threads only, for one).
   */
  variant(settings, changes) {
    return this.parse(this.#core().settingsPairs({ ...settings, ...changes })).settings;
  }

  /**
   * Reads the form; on bad input shows why beside each field and returns null. With
   * `onMainThread`, the task list will also run on the page's thread (a comparison's or a
   * sweep's baseline), so it must fit there whatever the chosen mode.
   */
  fromForm({ onMainThread = false } = {}) {
    const parsed = this.parse(this.#controls.pairs());
    const errors = [...parsed.errors];
    if (onMainThread && errors.length === 0) {
      const problem = this.#core().mainThreadProblem(parsed.settings);
      if (problem) errors.push({ field: "tasks", message: problem });
    }
    this.#controls.showErrors(errors, { focus: true });
    return errors.length === 0 ? parsed.settings : null;
  }

  /**
   * The settings a shared link carries, put in the form; whatever cannot be used is named,
   * not ignored, and the address bar then shows the settings in force rather than the
   * rejected values.
   */
  fromLink() {
    const pairs = [...new URLSearchParams(location.search)];
    // A workload's own page (primes.html, written for oEmbed by tools/site-address.mjs) opens on it.
    const own = document.querySelector("meta[name=pp-workload]")?.content;
    if (own && !pairs.some(([name]) => name === "workload")) pairs.unshift(["workload", own]);
    const fromUrl = this.parse(pairs);
    this.#controls.apply(fromUrl.settings);
    const problems = [...fromUrl.errors.map((e) => e.message), ...fromUrl.ignored];
    if (problems.length > 0) {
      const standIn = fromUrl.errors.length > 0 ? ", so defaults stand in" : "";
      banner(`Some of this link could not be used${standIn}: ${problems.join("; ")}.`, "warn");
    }
    if (location.search) this.remember(fromUrl.settings);
    else this.#showLinks(fromUrl.settings);
    return fromUrl.settings;
  }

  /** Puts `settings` in the address bar, so a reload or a shared link reproduces them. */
  remember(settings) {
    const core = this.#core();
    putSettingsInLink(core.settingsPairs(settings), core.pageParameters());
    if (document.getElementById("code").open) this.showCode(settings);
    this.#showLinks(settings);
  }

  /** Puts `settings` in the form and the link. */
  apply(settings) {
    this.#controls.apply(settings);
    this.#controls.showErrors([]);
    this.remember(settings);
  }

  /** A new workload starts from its own sizes; the mode, workers, GIL and scale stay. */
  switchWorkload(workload) {
    const fresh = this.#core().defaultSettings(workload, this.#cpus);
    const { mode, workers, scale } = this.current();
    const gil = document.getElementById("gil").checked;
    this.#controls.apply({ ...fresh, mode, workers, scale, gil });
    this.#controls.showErrors([]);
  }

  /**
   * The code panes for `settings`. Their module loads when they are first shown: most
   * readers never open them, and the first load is every reader's.
   */
  showCode(settings) {
    const facts = this.#core().facts(settings);
    const info = this.workload(settings.workload);
    import("./code.js").then(
      (code) => code.showCode(settings, facts, info),
      (error) => {
        const why = `The code could not be loaded (${error.message}).`;
        document.getElementById("code-python").textContent = why;
      },
    );
  }

  /** Links that carry the settings: out of an embed, and the embed snippets for a post. */
  #showLinks(settings) {
    const pairs = this.#core().settingsPairs(settings);
    const label = this.workload(settings.workload)?.label ?? settings.workload;
    // A post's readers have their own CPU counts: a worker count that is only this machine's
    // default is left out, so each reader gets one worker per CPU of theirs.
    const { workers } = this.parse([["workload", settings.workload]]).settings;
    const forPost = pairs.filter(([name]) => name !== "workers" || settings.workers !== workers);
    showLinks({ pairs, forPost, label, workload: settings.workload });
  }
}
