// Passkeys (WebAuthn Level 3) on Keygate's pages. A form marked data-passkey="create" or
// "get" carries the ceremony's options (JSON, in data-options); submitting it asks the browser
// for a passkey and posts the answer (the toJSON form of WebAuthn §5.1) in the field
// "response". A "get" form marked data-conditional also offers passkeys in the username
// field's autofill (conditional mediation). Without WebAuthn the forms stay hidden.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) { return; }

  function bytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { out[i] = binary.charCodeAt(i); }
    return out.buffer;
  }
  function text(buffer) {
    var binary = "";
    new Uint8Array(buffer).forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function descriptors(list) {
    return (list || []).map(function (c) {
      return { type: c.type, id: bytes(c.id), transports: c.transports || [] };
    });
  }
  function creation(o) {
    var user = { id: bytes(o.user.id), name: o.user.name, displayName: o.user.displayName };
    return Object.assign({}, o, { challenge: bytes(o.challenge), user: user,
      excludeCredentials: descriptors(o.excludeCredentials) });
  }
  function request(o) {
    return Object.assign({}, o, { challenge: bytes(o.challenge),
      allowCredentials: descriptors(o.allowCredentials) });
  }
  function answer(credential) {
    var r = credential.response;
    var response = { clientDataJSON: text(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = text(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = text(r.authenticatorData);
      response.signature = text(r.signature);
      response.userHandle = r.userHandle ? text(r.userHandle) : null;
    }
    return JSON.stringify({ id: credential.id, rawId: text(credential.rawId),
      type: credential.type, response: response,
      clientExtensionResults: credential.getClientExtensionResults() });
  }
  function say(form, message) {
    var box = form.querySelector("[data-passkey-error]");
    if (box) { box.textContent = message; box.hidden = false; }
  }
  function post(form, credential) {
    form.querySelector("input[name=response]").value = answer(credential);
    form.submit();
  }

  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    var options = JSON.parse(form.getAttribute("data-options"));
    var create = form.getAttribute("data-passkey") === "create";
    var pending = null;
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var ask = create
        ? navigator.credentials.create({ publicKey: creation(options), signal: pending.signal })
        : navigator.credentials.get({ publicKey: request(options), signal: pending.signal });
      ask.then(function (credential) { post(form, credential); }).catch(function (e) {
        if (e && e.name === "AbortError") { return; }
        say(form, e && e.name === "InvalidStateError"
          ? "This passkey is registered already."
          : "No passkey was used: the request was cancelled or timed out.");
      });
    });
    if (!create && form.hasAttribute("data-conditional") &&
        PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (!available) { return; }
        pending = new AbortController();
        navigator.credentials.get({ publicKey: request(options), mediation: "conditional",
          signal: pending.signal }).then(function (credential) { post(form, credential); })
          .catch(function () {});
      });
    }
  });
})();
