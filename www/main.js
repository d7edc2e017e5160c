// Boots the page. Whatever happens while starting, the page settles and says so: a page that
// stays "starting…" with every control disabled is the worst answer.
import "./page/errors.js";
import { App } from "./app.js";
import { banner } from "./page/banner.js";

App.start()
  .catch((error) => {
    if (document.getElementById("banner").hidden) {
      banner(`The page could not start: ${error.message}`);
    }
    document.documentElement.dataset.bootError = error.message;
  })
  .then((app) => {
    if (app !== null) document.documentElement.dataset.ready = "true";
  });
