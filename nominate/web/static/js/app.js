/* nominate: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  // Deed character counters: count as the rule counts (every character except white space).
  function countChars(text) { return text.replace(/\s/g, "").length; }
  document.querySelectorAll("textarea[data-max]").forEach(function (area) {
    var max = parseInt(area.dataset.max, 10);
    var out = document.getElementById(area.id + "-counter");
    if (!out) return;
    function update() {
      var n = countChars(area.value);
      out.textContent = n > max ? "已超出 " + (n - max) + " 字（当前 " + n + " 字，上限 " + max + " 字）"
                                : "当前 " + n + " 字 / 上限 " + max + " 字";
      out.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  });

  // Publicity start date -> computed end date (working days from the server's calendar).
  document.querySelectorAll("input[data-publicity-end]").forEach(function (input) {
    var out = document.getElementById(input.dataset.publicityEnd);
    function update() {
      if (!input.value) { out.textContent = ""; return; }
      fetch(input.dataset.url + "?start=" + encodeURIComponent(input.value) + "&days=" + input.dataset.days,
            {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (body) {
          out.textContent = body.end ? "公示期：" + body.period + "（" + input.dataset.days + "个工作日）"
                                     : (body.error ? body.error.message : "");
          out.classList.toggle("error", !body.end);
        });
    }
    input.addEventListener("change", update);
    update();
  });

  // Photo preview before upload.
  document.querySelectorAll("input[type=file][data-preview]").forEach(function (input) {
    var img = document.getElementById(input.dataset.preview);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (file && img) { img.src = URL.createObjectURL(file); img.hidden = false; }
    });
  });

  // ZIP bundles are rendered as they download: say so, the browser shows the progress.
  document.querySelectorAll("a[data-bundle], a[href*='/documents/bundles/']").forEach(function (link) {
    link.addEventListener("click", function () {
      var note = document.createElement("div");
      note.className = "busy"; note.setAttribute("role", "status");
      note.textContent = "正在逐份生成材料包并下载，请留意浏览器的下载进度……";
      document.body.appendChild(note);
      setTimeout(function () { note.remove(); }, 8000);
    });
  });

  // Confirmation for irreversible actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
    });
  });

  // Rank order: move rows up and down, the hidden inputs follow the visual order.
  document.querySelectorAll("[data-rank-list]").forEach(function (list) {
    list.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button[data-move]");
      if (!btn) return;
      ev.preventDefault();
      var row = btn.closest("[data-rank-item]");
      if (btn.dataset.move === "up" && row.previousElementSibling) {
        row.parentNode.insertBefore(row, row.previousElementSibling);
      } else if (btn.dataset.move === "down" && row.nextElementSibling) {
        row.parentNode.insertBefore(row.nextElementSibling, row);
      }
      list.querySelectorAll("[data-rank-item]").forEach(function (r, i) {
        var pos = r.querySelector("[data-rank-pos]");
        if (pos) pos.textContent = i + 1;
      });
      btn.focus();
    });
  });

  // Print buttons (no inline handlers: the Content-Security-Policy allows only this file's scripts).
  document.querySelectorAll("[data-print]").forEach(function (btn) {
    btn.addEventListener("click", function () { window.print(); });
  });
})();
