// Runs before the page is first painted (a classic script in <head>): `?embed=1` switches the
// page to its compact layout for a blog's iframe (styles/embed.css), so the post never
// shows the whole page for a moment first.
if (new URLSearchParams(location.search).get("embed") === "1") {
  document.documentElement.dataset.embed = "";
}
