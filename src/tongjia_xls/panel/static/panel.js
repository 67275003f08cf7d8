// The panel's page: it shows what the API says and sends what staff click. No logic of
// its own: every sentence shown comes from the server, which takes it from the CLI.
"use strict";

const TOKEN = document.querySelector('meta[name="tongjia-token"]').content;
const $ = (id) => document.getElementById(id);
let current = sessionStorage.getItem("workbook") || "";
let commands = [];
let pending = null; // the command waiting for the workbook to be closed in Excel/WPS

async function api(path, body) {
  const options = { headers: { "X-Tongjia-Token": TOKEN } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    closed("控制面板已经关闭或没有响应。需要时请重新启动控制面板。");
    throw error;
  }
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function show(id, visible) { $(id).classList.toggle("hidden", !visible); }

function closed(message) {
  $("closed").textContent = message;
  show("closed", true);
  document.querySelectorAll("button").forEach((b) => { b.disabled = true; });
}

// -- the workbook and its 控制台 -----------------------------------------------------

async function refresh() {
  const query = current ? "?workbook=" + encodeURIComponent(current) : "";
  const { data } = await api("/api/state" + query);
  commands = data.commands || [];
  const book = data.workbook;
  if (book && !current && book.exists) current = book.path;
  renderBook(book);
  renderRecent(data.recent || []);
  renderButtons(book, data.running || []);
}

function renderBook(book) {
  show("locked", false);
  show("book-error", false);
  const lines = $("lines").querySelector("tbody");
  lines.replaceChildren();
  const usable = book && book.exists && !book.error;
  show("open-book", usable);
  show("open-folder", usable);
  if (!book) return;
  $("book-path").textContent = "当前工作簿：" + book.path;
  if (book.error) {
    $("book-error").textContent = book.error;
    show("book-error", true);
  }
  if (book.locked) {
    $("locked-text").textContent = book.message;
    show("locked", true);
  }
  for (const line of book.lines || []) {
    const row = el("tr");
    row.append(el("td", line.stage), el("td", line.status), el("td", line.next_step));
    lines.append(row);
  }
}

function renderRecent(recent) {
  const box = $("recent");
  box.replaceChildren();
  const others = recent.filter((p) => p !== current);
  if (!others.length) return;
  box.append(el("span", "最近用过："));
  for (const path of others) {
    const button = el("button", path.split(/[\\/]/).pop(), "quiet");
    button.title = path;
    button.onclick = () => choose(path);
    box.append(button);
  }
}

function renderButtons(book, running) {
  const main = $("buttons");
  const more = $("more");
  main.replaceChildren();
  more.replaceChildren();
  const ready = book && book.exists && !book.error;
  for (const command of commands) {
    const button = el("button", command.title);
    button.dataset.command = command.name;
    button.title = "同样的命令行：" + command.cli;
    button.disabled = running.length > 0 || (command.needs_workbook && !ready);
    button.onclick = () => (command.creates ? openForm(command) : start(command.name, {}));
    (command.creates ? more : main).append(button);
  }
}

function choose(path) {
  current = path;
  sessionStorage.setItem("workbook", path);
  show("browser", false);
  show("result", false);
  refresh();
}

// -- the folder browser ---------------------------------------------------------------

async function browse(folder) {
  const query = folder ? "?folder=" + encodeURIComponent(folder) : "";
  const { status, data } = await api("/api/browse" + query);
  if (status !== 200) {
    $("browse-path").textContent = data.error;
    return;
  }
  show("browser", true);
  $("browse-path").textContent = data.folder;
  $("browse-up").disabled = !data.parent;
  $("browse-up").onclick = () => browse(data.parent);
  const list = $("browse-list");
  list.replaceChildren();
  if (!data.entries.length) list.append(el("li", "（这个文件夹里没有工作簿）"));
  for (const entry of data.entries) {
    const item = el("li");
    const button = el("button", (entry.kind === "folder" ? "📁 " : "📗 ") + entry.name);
    button.dataset.kind = entry.kind;
    button.onclick = () => (entry.kind === "folder" ? browse(entry.path) : choose(entry.path));
    item.append(button);
    list.append(item);
  }
}

// -- 新建工作簿 and 下一年度 --------------------------------------------------------------

const FORMS = {
  init: [["path", "新工作簿保存为（完整路径，以 .xlsx 结尾）", "新工作簿.xlsx"],
         ["year", "年度（例如 2024，可不填）", ""], ["town", "乡镇名称（可不填）", ""],
         ["county", "县名（可不填）", ""]],
  rollover: [["year", "新年度（例如 2024）", ""],
             ["out", "下一年度工作簿保存为（完整路径）", "下一年度.xlsx"]],
};

function openForm(command) {
  $("form-title").textContent = command.title;
  const fields = $("form-fields");
  fields.replaceChildren();
  const folder = current ? current.replace(/[\\/][^\\/]*$/, "") : "";
  for (const [name, label, example] of FORMS[command.name] || []) {
    const wrap = el("label", label);
    const input = el("input");
    input.name = name;
    input.value = example && folder ? folder + "/" + example : example;
    wrap.append(input);
    fields.append(wrap);
  }
  $("form-go").onclick = () => {
    const options = {};
    fields.querySelectorAll("input").forEach((input) => { options[input.name] = input.value; });
    show("form", false);
    start(command.name, options);
  };
  show("form", true);
}

// -- running a command ----------------------------------------------------------------

async function start(name, options) {
  const command = commands.find((c) => c.name === name) || { title: name };
  pending = null;
  show("result", false);
  const { status, data } = await api("/api/run/" + name, { workbook: current, options });
  if (status === 409 && data.locked) {
    pending = [name, options];
    $("locked-text").textContent = data.error;
    show("locked", true);
    return;
  }
  if (status !== 202) {
    showResult(command.title, null, data.error);
    return;
  }
  document.querySelectorAll("#actions button").forEach((b) => { b.disabled = true; });
  await follow(data);
}

async function follow(job) {
  show("progress", true);
  $("progress-title").textContent = "正在" + job.title + "……";
  for (;;) {
    const pct = job.total ? Math.round((100 * job.done) / job.total) : 5;
    $("progress-fill").style.width = pct + "%";
    $("progress-text").textContent = job.step ? `${job.step}：${job.done}/${job.total}` : "准备中……";
    if (job.state !== "running") break;
    await new Promise((resolve) => setTimeout(resolve, 400));
    job = (await api("/api/jobs/" + job.id)).data;
  }
  show("progress", false);
  const result = job.result;
  if (result && result.made && job.command === "init") choose(result.made);
  showResult(job.title, result, job.error, job.seconds);
  await refresh();
}

function showResult(title, result, error, seconds) {
  show("result", true);
  const failed = Boolean(error) || Boolean(result && result.stopped);
  $("result-title").textContent = `“${title}”` + (failed ? "未能完成" : "已完成") +
    (seconds !== undefined ? `（用时 ${seconds} 秒）` : "");
  $("result-error").textContent = error || (result && result.stopped) || "";
  show("result-error", failed);
  const summary = $("result-summary");
  summary.replaceChildren();
  for (const line of (result && result.summary) || []) summary.append(el("li", line));
  renderDetails(result);
  renderProblems(result ? result.diagnostics : []);
  renderFiles(result ? result.outputs : []);
}

function renderProblems(diagnostics) {
  const box = $("result-problems");
  box.replaceChildren();
  if (!diagnostics.length) return;
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  box.append(el("h3", `需要处理的问题（${errors} 处错误、${diagnostics.length - errors} 处提醒）`));
  const list = el("ul");
  for (const d of diagnostics) {
    list.append(el("li", d.text, d.severity === "error" ? "error-text" : "warn-text"));
  }
  box.append(list);
}

function table(headers, rows) {
  const grid = el("table");
  const head = el("tr");
  headers.forEach((h) => head.append(el("th", h)));
  grid.append(head);
  for (const cells of rows) {
    const row = el("tr");
    cells.forEach((c) => row.append(c instanceof Node ? wrapCell(c) : el("td", c ?? "—")));
    grid.append(row);
  }
  return grid;
}

function wrapCell(node) { const td = el("td"); td.append(node); return td; }

function findings(list) {
  const ul = el("ul");
  list.forEach((f) => ul.append(el("li", `【${f.label}】${f.message}`,
    f.severity === "error" ? "error-text" : "warn-text")));
  return ul;
}

function renderDetails(result) {
  const box = $("result-details");
  box.replaceChildren();
  if (!result) return;
  const parts = result.steps ? result.steps : [result];
  for (const part of parts) {
    if (result.steps) box.append(el("h3", part.title + "：" + (part.summary || []).join(" ")));
    if (part.reports) {
      box.append(el("h3", "各党组织的述职报告"));
      box.append(table(["党组织", "文件", "字数", "结论", "发现的问题"], part.reports.map((r) =>
        [r.org, r.file, r.words, r.verdict, findings(r.findings)])));
    }
    if (part.grades) {
      box.append(el("h3", "得分与等次"));
      box.append(table(["党组织", "综合得分", "排名", "建议等次", "确定等次"], part.grades.rows.map(
        (r) => [r.org, r.composite === null ? "—" : r.composite.toFixed(2), r.rank,
                r.proposed, r.final])));
    }
    if (part.ledger && part.ledger.overdue_items.length) {
      box.append(el("h3", `逾期的整改事项（${part.ledger.overdue_items.length} 项）`));
      box.append(table(["党组织", "问题", "责任人", "完成时限", "剩余天数"],
        part.ledger.overdue_items.map((i) => [i.org, i.problem, i.owner, i.deadline, i.days_left])));
    }
  }
}

function renderFiles(outputs) {
  const box = $("result-files");
  box.replaceChildren();
  if (!outputs.length) return;
  box.append(el("h3", `生成的文件（${outputs.length} 个）`));
  const list = el("ul");
  for (const file of outputs) {
    const item = el("li", file.name + " ");
    const open = el("button", "打开");
    open.dataset.open = file.path;
    open.onclick = () => openPath(file.path, false);
    const folder = el("button", "打开所在文件夹", "quiet");
    folder.onclick = () => openPath(file.path, true);
    item.append(open, folder);
    list.append(item);
  }
  box.append(list);
}

async function openPath(path, folder) {
  const { status, data } = await api("/api/open", { path, folder });
  if (status !== 200) alert(data.error);
}

// -- wiring ---------------------------------------------------------------------------

$("choose").onclick = () => browse(current ? current.replace(/[\\/][^\\/]*$/, "") : "");
$("browse-close").onclick = () => show("browser", false);
$("form-cancel").onclick = () => show("form", false);
$("open-book").onclick = () => openPath(current, false);
$("open-folder").onclick = () => openPath(current, true);
$("unlocked").onclick = async () => {
  show("locked", false);
  if (pending) await start(...pending);
  else await refresh();
};
$("stop").onclick = async () => {
  const { data } = await api("/api/stop", {});
  closed(data.message || "控制面板已关闭。");
};
window.addEventListener("focus", () => { if (!$("closed").classList.contains("hidden")) return; refresh(); });
refresh();
