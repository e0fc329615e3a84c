// The resident signs on the tablet with a finger or a pen; the drawing goes with the form as a PNG.
// Without JavaScript the canvas stays hidden and the printed confirmation is signed instead.
(function () {
  var canvas = document.querySelector('canvas.signature-pad');
  if (!canvas || !canvas.getContext) return;
  var input = canvas.parentNode.querySelector('input[name=Signature]');
  var context = canvas.getContext('2d');
  canvas.hidden = false;
  context.lineWidth = 3;
  context.lineCap = 'round';
  var drawing = false;
  function point(e) {
    var r = canvas.getBoundingClientRect();
    return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
  }
  canvas.addEventListener('pointerdown', function (e) { drawing = true; var p = point(e); context.beginPath(); context.moveTo(p.x, p.y); canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointermove', function (e) { if (!drawing) return; var p = point(e); context.lineTo(p.x, p.y); context.stroke(); });
  canvas.addEventListener('pointerup', function () { drawing = false; input.value = canvas.toDataURL('image/png'); });
  document.querySelectorAll('a[data-print]').forEach(function (a) { a.addEventListener('click', function (e) { e.preventDefault(); window.print(); }); });
})();
