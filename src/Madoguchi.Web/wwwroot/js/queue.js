// Live updates for the lobby board and the resident's ticket page. Both pages work without this (they refresh).
(() => {
  const board = document.getElementById('board');
  const ticket = document.getElementById('ticket');
  const office = (board || ticket)?.dataset.office;
  if (!office || !window.EventSource) return;
  let version = Number(board?.dataset.version ?? -1);
  let chime = false;
  const button = document.getElementById('chime');
  if (button) {
    button.hidden = false;
    button.addEventListener('click', () => {
      chime = !chime;
      button.setAttribute('aria-pressed', String(chime));
    });
  }
  const ring = () => {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch { /* no sound available */ }
  };
  const events = new EventSource(`/counters/${encodeURIComponent(office)}/board/events`);
  events.addEventListener('open', () => { document.documentElement.dataset.live = 'on'; });
  events.addEventListener('board', async message => {
    const data = JSON.parse(message.data);
    // A screen never goes back to an older state, whatever order events arrive in.
    if (data.version <= version) return;
    version = data.version;
    if (board) {
      board.dataset.version = String(version);
      let changed = false;
      for (const counter of data.counters) {
        const cell = board.querySelector(`tr[data-counter="${CSS.escape(counter.id)}"] .board-number`);
        const text = counter.now ?? (counter.status === 'closed' ? cell?.dataset.closed ?? '—' : '—');
        if (cell && cell.textContent !== text) {
          changed ||= counter.now !== null;
          cell.textContent = text;
        }
      }
      for (const service of data.services) {
        const row = board.querySelector(`tr[data-service="${CSS.escape(service.serviceId)}"]`);
        if (!row) continue;
        row.querySelector('.board-count').textContent = String(service.waiting);
        const estimate = row.querySelector('.board-estimate');
        estimate.textContent = estimate.textContent.replace(/\d+/, String(service.estimate.minutes));
      }
      if (changed && chime) ring();
    }
    if (ticket) {
      const response = await fetch(`/tickets/${encodeURIComponent(ticket.dataset.token)}?handler=Status`, { headers: { Accept: 'text/plain' } });
      if (response.ok) document.getElementById('ticket-status').textContent = await response.text();
    }
  });
})();
