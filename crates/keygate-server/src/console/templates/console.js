// Copy buttons for values shown once (client secrets). Without this script the buttons stay
// hidden and the values sit in read-only fields, ready to select and copy by hand.
document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    field.focus();
    field.select();
    var done = function (text) { button.textContent = text; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(
        function () { done("Copied"); },
        function () { done("Selected: press Ctrl+C"); });
    } else {
      done("Selected: press Ctrl+C");
    }
  });
});
