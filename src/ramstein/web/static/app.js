// Narrow screens: the navigation folds behind its Menu button (without script it stays open).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", () => {
    const nav = toggle.closest("nav");
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
});

// Draw every chart of the page from the figure JSON the server embedded next to it.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll(".chart")) {
    const source = el.querySelector("script.figure-data");
    if (!source || typeof Plotly === "undefined") continue;
    const figure = JSON.parse(source.textContent);
    Plotly.newPlot(el, figure.data, figure.layout, {
      displaylogo: false, responsive: true, showLink: false, showSendToCloud: false,
    }).then(() => el.setAttribute("data-drawn", "true"));
  }
});

// The planner jobs page: re-read the jobs every 2 s while any is queued or running,
// every 10 s otherwise (a job started elsewhere shows up).
document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector("#jobs-table[data-poll='on']");
  if (!table) return;
  const number = (v, digits) =>
    v === null ? "-" : Number(v).toLocaleString("en", { maximumSignificantDigits: digits });
  const cell = (row, text, cls) => {
    const td = document.createElement(row.children.length ? "td" : "th");
    if (!row.children.length) td.scope = "row";
    if (cls) td.className = cls;
    td.textContent = text;
    row.appendChild(td);
  };
  const refresh = async () => {
    let active = false;
    try {
      const answer = await fetch(location.pathname + "?format=json", { credentials: "same-origin" });
      if (answer.ok) {
        const data = await answer.json();
        active = data.active;
        const body = document.createElement("tbody");
        for (const j of data.jobs) {
          const row = document.createElement("tr");
          cell(row, String(j.id), "num");
          cell(row, j.kind);
          cell(row, j.status + (j.error ? ` (${j.error})` : ""));
          cell(row, String(j.attempts), "num");
          cell(row, number(j.incumbent, 6), "num");
          cell(row, number(j.bound, 6), "num");
          cell(row, j.gap_pct === null ? "-" : String(j.gap_pct), "num");
          const elapsed = j.elapsed === null ? "-" : j.elapsed.toFixed(1);
          cell(row, `${elapsed} / ${j.time_limit.toFixed(0)}`, "num");
          cell(row, j.plan_version === null ? "-" : String(j.plan_version), "num");
          const action = document.createElement("td");
          if (j.status === "queued" || j.status === "running") {
            // The page's own cancel form, with the token the page was served with.
            const form = document.createElement("form");
            form.method = "post";
            form.action = `/jobs/${j.id}/cancel`;
            form.className = "inline";
            const token = document.createElement("input");
            token.type = "hidden";
            token.name = "csrf";
            token.value = table.dataset.csrf || "";
            const button = document.createElement("button");
            button.type = "submit";
            button.textContent = "Cancel";
            button.setAttribute("aria-label", `Cancel job ${j.id}`);
            form.append(token, button);
            action.appendChild(form);
          }
          row.appendChild(action);
          body.appendChild(row);
        }
        if (data.jobs.length) table.querySelector("tbody").replaceWith(body);
        table.dataset.refreshed = String(Date.now());
      }
    } finally {
      setTimeout(refresh, active ? 2000 : 10000);
    }
  };
  setTimeout(refresh, 2000);
});
