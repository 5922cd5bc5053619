// Progressive enhancement for the management pages: "Copy link" buttons. Without JavaScript the
// buttons stay hidden and the link is plain, selectable text.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(location.origin + source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    });
  });
});
