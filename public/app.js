// What the pages do in the browser besides htmx. An htmx request that gets no answer at all
// (the server stopped, the network dropped, a timeout) would otherwise change nothing on the
// page and say nothing: the clerk would not know whether the click did anything.
document.addEventListener('htmx:error', (event) => {
  // Errors of a request carry its context; others (a script's) are not about the server.
  if (!event.detail || !event.detail.ctx) return;
  const flash = document.getElementById('flash');
  if (!flash) return;
  const message = document.createElement('p');
  message.className = 'error';
  message.setAttribute('role', 'alert');
  message.textContent = 'The portal did not answer, so this page may not show what happened. '
    + 'Check the connection, then reload the page to see where things stand.';
  flash.replaceChildren(message);
});
