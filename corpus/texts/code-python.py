# 读取配置文件，返回字典
def load_config(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)

def greet(name):
    """向用户问好。"""
    print(f"你好，{name}！欢迎使用本系统。")

# 统计每个汉字出现的次数
def count_chars(text):
    counts = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    return counts

ERROR_MESSAGES = {
    404: "页面不存在",
    500: "服务器内部错误，请稍后再试",
    403: "您没有访问该页面的权限",
}

def check_age(age):
    # 年龄必须是非负整数
    if age < 0:
        raise ValueError("年龄不能为负数")
    return age >= 18

class Order:
    """订单：记录商品、数量和单价。"""
    def __init__(self, item, quantity, price):
        self.item = item          # 商品名称
        self.quantity = quantity  # 数量
        self.price = price        # 单价（元）

def total_price(orders):
    # 计算所有订单的总金额，保留两位小数
    return round(sum(o.quantity * o.price for o in orders), 2)

def weekday_name(index):
    names = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
    return names[index % 7]

# 將繁體中文的檔案名稱轉成小寫
def normalize_name(name):
    return name.strip().lower()  # 去掉前後空白

def format_date(year, month, day):
    # 返回“2024年1月4日”这样的中文日期
    return f"{year}年{month}月{day}日"

def ask_continue():
    answer = input("是否继续？(y/n) ")
    return answer.strip().lower() == "y"

# ファイルを一行ずつ読み込む
def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]

# 로그 메시지를 출력한다
def log(message):
    print("[로그]", message)
