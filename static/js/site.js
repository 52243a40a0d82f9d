// Progressive enhancements for the public site. Every feature works without this file.

// Click-to-load video: nothing is requested from the video host until the reader asks.
document.addEventListener("click", (event) => {
  const play = event.target.closest(".video-play");
  if (!play) return;
  const frame = play.closest("[data-embed-src]");
  if (!frame) return;
  event.preventDefault();
  const iframe = document.createElement("iframe");
  const src = new URL(frame.dataset.embedSrc);
  src.searchParams.set("autoplay", "1");
  iframe.src = src.toString();
  iframe.title = frame.dataset.embedTitle || "Video";
  iframe.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
  iframe.allowFullscreen = true;
  iframe.referrerPolicy = "strict-origin-when-cross-origin";
  frame.replaceChildren(iframe);
  iframe.focus();
});

// "Show More" replaces itself with the next batch; keyboard focus moves to its first story
// instead of falling back to the top of the page. htmx fires htmx:load on each new element.
document.addEventListener("htmx:load", (event) => {
  const batch = event.detail.elt;
  if (!batch.matches || !batch.matches("[data-new-batch]")) return;
  batch.removeAttribute("data-new-batch");
  const link = batch.querySelector("a");
  if (link) link.focus();
});
