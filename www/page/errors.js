// Uncaught errors and rejections on the page, kept in html[data-page-errors] (JSON) where any
// test driver can read them: WebKit's WebDriver has no console to listen to. Imported first,
// so it hears everything after it.
const seen = [];

function record(message) {
  seen.push(String(message));
  document.documentElement.dataset.pageErrors = JSON.stringify(seen);
}

addEventListener("error", (event) => record(event.message));
addEventListener("unhandledrejection", (event) => record(event.reason?.message ?? event.reason));
