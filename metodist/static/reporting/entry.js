/* The report entry form: Enter and arrow keys move between fields, totals of split indicators follow
 * their parts as one types, the fields named by the checks stay highlighted after each autosave, and a
 * comment box that was open stays open when its cell comes back from the server. Works without it too. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "ru";

  function inputs() {
    return Array.prototype.slice.call(document.querySelectorAll(".entry-input"));
  }

  function move(from, step) {
    var all = inputs();
    var next = all[all.indexOf(from) + step];
    if (next) {
      next.focus();
      if (next.select) next.select();
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("entry-input")) return;
    if (event.key === "Enter") {
      event.preventDefault(); // no implicit submit: the change event saves the value
      move(target, event.shiftKey ? -1 : 1);
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && target.tagName !== "SELECT") {
      event.preventDefault();
      move(target, event.key === "ArrowDown" ? 1 : -1);
    }
  });

  function number(text) {
    var clean = (text || "").replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (clean === "") return null;
    var value = Number(clean);
    return isFinite(value) ? value : NaN;
  }

  function updateTotal(code) {
    var output = document.querySelector('output[data-total-of="' + code + '"]');
    if (!output) return;
    var sum = 0;
    var any = false;
    var broken = false;
    document.querySelectorAll('.entry-input[data-part-of="' + code + '"]').forEach(function (input) {
      var value = number(input.value);
      if (value === null) return;
      if (isNaN(value)) broken = true;
      else {
        sum += value;
        any = true;
      }
    });
    output.textContent = broken ? "?" : any ? sum.toLocaleString(lang) : "—";
  }

  document.addEventListener("input", function (event) {
    var code = event.target.dataset && event.target.dataset.partOf;
    if (code) updateTotal(code);
  });

  function highlightIssues() {
    var marks = {};
    document.querySelectorAll("#report-issues [data-issue-keys]").forEach(function (item) {
      var severity = item.dataset.severity;
      item.dataset.issueKeys.split(" ").forEach(function (key) {
        if (!key) return;
        if (marks[key] !== "error") marks[key] = severity;
      });
    });
    document.querySelectorAll(".entry-cell").forEach(function (cell) {
      cell.classList.remove("entry-error", "entry-warning");
    });
    document.querySelectorAll(".entry-field").forEach(function (field) {
      field.classList.remove("entry-field-error", "entry-field-warning");
    });
    // An empty field is only "missing": the list names it, the form does not paint it.
    function filled(element) {
      return Array.prototype.some.call(element.querySelectorAll(".entry-input"), function (input) {
        return input.value.trim() !== "";
      });
    }
    Object.keys(marks).forEach(function (key) {
      var cell = document.getElementById("cell-" + key.replace(".", "-"));
      var field = document.getElementById("field-" + key.split(".")[0]);
      if (cell ? !filled(cell) : !(field && filled(field))) return;
      if (cell) cell.classList.add("entry-" + marks[key]);
      if (field && !field.classList.contains("entry-field-error")) {
        field.classList.remove("entry-field-warning");
        field.classList.add("entry-field-" + marks[key]);
      }
    });
  }

  // A comment box opened just before the cell was saved stays open in the cell that replaces it.
  var openComments = {};
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("entry-cell")) {
      openComments[target.id] = !!target.querySelector(".collapse.show");
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    Object.keys(openComments).forEach(function (id) {
      var box = document.getElementById(id + "-comment");
      if (openComments[id] && box) box.classList.add("show");
    });
    openComments = {};
    document.querySelectorAll("output[data-total-of]").forEach(function (output) {
      updateTotal(output.dataset.totalOf);
    });
    highlightIssues();
  });
})();
