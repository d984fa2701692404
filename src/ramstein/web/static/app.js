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

// The planner jobs page: re-read the jobs every 2 s while any is queued or running.
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
    const answer = await fetch(location.pathname + "?format=json", { credentials: "same-origin" });
    if (!answer.ok) return;
    const data = await answer.json();
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
      cell(row, `${j.elapsed === null ? "-" : j.elapsed.toFixed(1)} / ${j.time_limit.toFixed(0)}`, "num");
      cell(row, j.plan_version === null ? "-" : String(j.plan_version), "num");
      body.appendChild(row);
    }
    table.querySelector("tbody").replaceWith(body);
    table.dataset.refreshed = String(Date.now());
    if (data.active) setTimeout(refresh, 2000);
    else document.getElementById("jobs-live").textContent = "No job is queued or running.";
  };
  setTimeout(refresh, 2000);
});
