// The sandbox processor sends the browser back to the merchant at once; the button remains
// for browsers without JavaScript (inline scripts are forbidden by the CSP).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-sandbox-autosubmit]");
  if (form) form.submit();
});
