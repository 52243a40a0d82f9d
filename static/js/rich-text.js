// Accessibility for the rich-text editor on staff pages (django-prose-editor). The editor
// builds its editing area and toolbar after the page loads, without a name for the editing
// area and with icon-font words ("format_bold") as button text; this names the area after
// its form label and help text, hides the icon words from assistive technology (the buttons
// are named by their titles) and mirrors the toolbar's "disabled" look as aria-disabled.

function describeEditor(editor) {
  const textarea = editor.querySelector("textarea[id]");
  const area = editor.querySelector(".ProseMirror");
  if (!textarea || !area) return;
  if (!area.hasAttribute("aria-labelledby")) {
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    if (label) {
      label.id = label.id || `${textarea.id}_label`;
      area.setAttribute("aria-labelledby", label.id);
    }
    const help = textarea.getAttribute("aria-describedby");
    if (help) area.setAttribute("aria-describedby", help);
    area.setAttribute("aria-multiline", "true");
  }
  for (const button of editor.querySelectorAll(".prose-menubar__button")) {
    const word = button.firstChild;
    if (word && word.nodeType === Node.TEXT_NODE && button.title) {
      const icon = document.createElement("span");
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = word.textContent;
      button.replaceChild(icon, word);
      // Named by its title alone ("bold"), which is then the only name it has.
      button.removeAttribute("aria-label");
    }
    const disabled = button.classList.contains("disabled") && !button.classList.contains("active");
    if (button.getAttribute("aria-disabled") !== String(disabled)) {
      button.setAttribute("aria-disabled", String(disabled));
    }
  }
}

function describeEditors() {
  document.querySelectorAll(".prose-editor").forEach(describeEditor);
}

new MutationObserver(describeEditors).observe(document.body, {
  childList: true,
  subtree: true,
  attributes: true,
  attributeFilter: ["class"],
});
describeEditors();
