// The article change form without lost work (articles/editing.py). Without this file the
// page still shows who else is editing and any unsaved copy when it loads; this keeps
// both current: a heartbeat every few seconds says the editor is still here and brings
// back who else is, and a take-over; unsaved text is kept as the editor's own copy.

(() => {
  const status = document.getElementById("editing-status");
  const form = document.getElementById("article_form");
  if (!status || !form) return;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  const settings = status.dataset;

  async function send(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrf ? csrf.value : "",
      },
      body: JSON.stringify(body || {}),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `The server answered ${response.status}.`);
    return answer;
  }

  // Who else is editing, and whether someone took the story over from this page.
  const presence = status.querySelector("[data-presence]");
  const presenceList = status.querySelector("[data-presence-list]");
  const takeOver = status.querySelector("[data-take-over-notice]");

  function showPresence(answer) {
    if (presence && presenceList) {
      presenceList.textContent = answer.editing.map((other) => other.message).join("; ");
      presence.hidden = answer.editing.length === 0;
    }
    if (takeOver && answer.taken_over) {
      takeOver.firstElementChild.textContent = answer.taken_over.message;
      takeOver.hidden = false;
    }
  }

  if (settings.heartbeatUrl) {
    const beat = () =>
      send(settings.heartbeatUrl)
        .then(showPresence)
        .catch(() => {}); // the next beat tries again; the save itself is checked anyway
    window.setInterval(beat, Number(settings.heartbeatSeconds) * 1000);
  }

  // Unsaved text, kept on the server as this editor's own copy when it has changed.
  const fields = (settings.autosaveFields || "").split(",").filter(Boolean);
  const autosaveStatus = status.querySelector("[data-autosave-status]");
  let lastSent = null;
  let typed = false;

  function currentFields() {
    const values = {};
    for (const name of fields) {
      const input = form.elements.namedItem(name);
      if (input && typeof input.value === "string") values[name] = input.value;
    }
    return values;
  }

  // The rich-text editor copies its content into its textarea and fires "input" too.
  form.addEventListener("input", () => {
    typed = true;
  });
  form.addEventListener("change", () => {
    typed = true;
  });

  function autosave() {
    if (!typed) return;
    const values = currentFields();
    const payload = JSON.stringify(values);
    if (payload === lastSent) return;
    const article = settings.article ? Number(settings.article) : null;
    send(settings.autosaveUrl, { article, fields: values })
      .then((answer) => {
        lastSent = payload;
        if (autosaveStatus) autosaveStatus.textContent = answer.message;
      })
      .catch((error) => {
        if (autosaveStatus) autosaveStatus.textContent = `No copy kept: ${error.message}`;
      });
  }

  if (settings.autosaveUrl && fields.length) {
    lastSent = JSON.stringify(currentFields());
    window.setInterval(autosave, Number(settings.autosaveSeconds) * 1000);
  }
})();
