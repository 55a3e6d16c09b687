// Behaviour of the pages, kept out of the HTML so that the Content-Security-Policy can
// forbid inline scripts. Every page loads this file (base.html), deferred.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action=print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
