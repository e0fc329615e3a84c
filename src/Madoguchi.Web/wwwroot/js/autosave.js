// Saves a form page in the background a moment after the resident stops typing, so a closed tab loses nothing.
// Without JavaScript every button press saves the page anyway.
(function () {
  var form = document.querySelector('form[data-autosave]');
  if (!form || !window.fetch) return;
  var timer = null;
  var status = document.createElement('p');
  status.className = 'hint';
  status.setAttribute('role', 'status');
  form.appendChild(status);
  function save() {
    var data = new FormData(form);
    form.querySelectorAll('input[type=file]').forEach(function (input) { data.delete(input.name); });
    fetch(form.getAttribute('data-autosave'), { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (response) { if (response.ok) status.textContent = form.getAttribute('data-saved') || ''; })
      .catch(function () { });
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  });
})();
