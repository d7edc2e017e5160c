// "Your machine": the CPU count the browser reports, beside its Python twin, and the cores a
// sweep measured: browsers round, cap or randomise the reported number (WebKit reported 4 on
// a 2-CPU machine), the measured one is where adding workers stopped adding speed.
import { MODES } from "./wording.js";
import { plural } from "./format.js";

export function showCpuCount(root = document) {
  const n = navigator.hardwareConcurrency;
  const shown = Number.isInteger(n) && n > 0 ? String(n) : "unknown";
  root.getElementById("cpu-count").textContent = shown;
  root.getElementById("cpu-python").textContent = `Number of cpu : ${shown}`;
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** After a sweep: the cores it measured (Amdahl's fit levels off there), beside the reported. */
export function showMeasuredCores({ fits, cpus }, root = document) {
  const mode = ["process", "threads"].find((k) => fits[k]);
  const value = root.getElementById("cpu-measured");
  const label = root.getElementById("cpu-measured-label");
  if (!mode) {
    value.textContent = "–";
    label.textContent = "cores measured: the sweep's speedups allowed no fit";
    return;
  }
  const cores = fits[mode].measured_cores;
  value.textContent = String(cores);
  value.dataset.cores = String(cores);
  const versus = cores === cpus ? "as reported" : `the browser reports ${cpus}`;
  label.textContent = `cores measured by the sweep: the ${MODES[mode].label}'s speedup levels off at ${plural(cores, MODES[mode].unit)} (${versus})`;
}
