// Suggestions as you type: fills the search box's datalist from the procedures API. The form works without this.
(() => {
  const input = document.querySelector('input[data-suggest]');
  const list = input && document.getElementById(input.getAttribute('list'));
  if (!input || !list) return;
  let timer = 0;
  let last = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q === last || q.length === 0) return;
      last = q;
      try {
        const response = await fetch(`${input.dataset.suggest}?limit=40&q=${encodeURIComponent(q)}`, { headers: { Accept: 'application/json' } });
        if (!response.ok) return;
        const body = await response.json();
        const names = [...new Set(body.items.map(i => i.name))].slice(0, 8);
        list.replaceChildren(...names.map(name => Object.assign(document.createElement('option'), { value: name })));
      } catch { /* suggestions are optional */ }
    }, 150);
  });
})();
