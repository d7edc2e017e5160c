// "Your machine": the CPU count the browser reports, beside its Python twin.

export function showCpuCount(root = document) {
  const n = navigator.hardwareConcurrency;
  const shown = Number.isInteger(n) && n > 0 ? String(n) : "unknown";
  root.getElementById("cpu-count").textContent = shown;
  root.getElementById("cpu-python").textContent = `Number of cpu : ${shown}`;
  return Number.isInteger(n) && n > 0 ? n : 1;
}
