// 获取页面上的提交按钮
const submitButton = document.querySelector("#submit");

function showMessage(text) {
  // 在页面顶部显示提示信息
  const box = document.getElementById("message");
  box.textContent = text;
}

submitButton.addEventListener("click", () => {
  showMessage("提交成功，感谢您的反馈！");
});

const labels = {
  save: "保存",
  cancel: "取消",
  delete: "删除",
  confirm: "确定要删除这条记录吗？",
};

/**
 * 把金额格式化为人民币字符串，例如 ¥1,234.50
 */
function formatPrice(value) {
  return "¥" + value.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// 檢查使用者是否已登入
function isLoggedIn(user) {
  return Boolean(user && user.token);
}

async function loadNews() {
  // 从服务器读取最新新闻列表
  const response = await fetch("/api/news");
  if (!response.ok) {
    throw new Error("新闻加载失败：" + response.status);
  }
  return response.json();
}

const weekdays = ["日", "一", "二", "三", "四", "五", "六"];
// 返回“星期几”
function weekdayLabel(date) {
  return "星期" + weekdays[date.getDay()];
}

// 入力欄が空かどうかを確認する
function isEmpty(input) {
  return input.value.trim() === "";
}

// 검색어를 강조해서 보여 준다
function highlight(text, word) {
  return text.split(word).join("<mark>" + word + "</mark>");
}
