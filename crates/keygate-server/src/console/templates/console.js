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

// The login page preview follows the logo, color and background fields as they are typed.
(function () {
  var frame = document.getElementById("login-preview");
  var base = frame && frame.getAttribute("data-preview");
  if (!base) { return; }
  var names = ["logo_uri", "primary_color", "background_uri"];
  var timer = null;
  var refresh = function () {
    var url = base;
    names.forEach(function (name) {
      var field = document.getElementById("f-" + name);
      if (field) { url += "&" + name + "=" + encodeURIComponent(field.value.trim()); }
    });
    if (frame.getAttribute("src") !== url) { frame.setAttribute("src", url); }
  };
  names.forEach(function (name) {
    var field = document.getElementById("f-" + name);
    if (!field) { return; }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  });
})();
