<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BuildPage</name>
    <message>
        <location filename="../capture_wizard.py" line="76"/>
        <source>Name and create</source>
        <translation>命名并创建</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="77"/>
        <source>The name shows in the avatar library and in the live show.</source>
        <translation>名称会显示在数字人库和直播中。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="84"/>
        <source>Letters, digits, spaces, &apos;-&apos; and &apos;_&apos;</source>
        <translation>字母、数字、空格、“-”和“_”</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="97"/>
        <source>Press Create avatar when the name is right.</source>
        <translation>名称确认无误后，点击“创建数字人”。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="100"/>
        <source>Cancel build</source>
        <translation>取消创建</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="107"/>
        <source>Avatar name:</source>
        <translation>数字人名称：</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="171"/>
        <source>the statement read aloud and recorded</source>
        <translation>已朗读并录下授权声明</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="173"/>
        <source>your confirmation</source>
        <translation>你的确认</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="176"/>
        <source>Picture: {SOURCE_WORDS} ({source_note}).
Consent: {consent_by}, by {how}.</source>
        <translation>照片：{SOURCE_WORDS}（{source_note}）。
授权：{consent_by}，方式：{how}。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="190"/>
        <source>To continue: type a name for the avatar.</source>
        <translation>继续前：请为数字人输入名称。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="192"/>
        <source>To continue: choose another name (see above).</source>
        <translation>继续前：请换一个名称（见上方）。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="216"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="238"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="247"/>
        <source>Created the avatar &apos;{name}&apos;.</source>
        <translation>已创建数字人“{name}”。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="252"/>
        <source>Cancelled: nothing was saved.</source>
        <translation>已取消：未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="254"/>
        <source>Something went wrong inside Studio.</source>
        <translation>Studio 内部出错了。</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="257"/>
        <source>Not created: {problem}</source>
        <translation>未创建：{problem}</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="258"/>
        <source>Could not create the avatar</source>
        <translation>无法创建数字人</translation>
    </message>
</context>
<context>
    <name>CaptureWizard</name>
    <message>
        <location filename="../capture_wizard.py" line="299"/>
        <source>New avatar</source>
        <translation>新建数字人</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="301"/>
        <source>Create avatar</source>
        <translation>创建数字人</translation>
    </message>
</context>
<context>
    <name>CatalogBox</name>
    <message>
        <location filename="../live_catalog.py" line="47"/>
        <source>Products and viewers</source>
        <translation>商品与观众</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="53"/>
        <source>No catalogue: viewers&apos; questions are not taken</source>
        <translation>未选商品库：不接收观众提问</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="54"/>
        <source>Catalogue…</source>
        <translation>商品库…</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="55"/>
        <source>The catalog.toml whose facts answer viewers&apos; questions</source>
        <translation>用其中的商品事实回答观众提问的 catalog.toml</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="56"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="57"/>
        <source>Audience page (viewers ask in a browser)</source>
        <translation>观众页面（观众在浏览器中提问）</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="59"/>
        <source>A page on this computer where viewers post questions, and you approve the answers</source>
        <translation>本机上的一个页面：观众在此提问，你来审核回答</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="63"/>
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="65"/>
        <source>The audience page&apos;s port on this computer: a fixed one keeps its address the same</source>
        <translation>观众页面在本机上的端口：固定端口可让地址保持不变</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="71"/>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="72"/>
        <source>Copy moderator address</source>
        <translation>复制审核地址</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="86"/>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="145"/>
        <source>viewers&apos; questions are answered in the show&apos;s voice, and the microphone has none.</source>
        <translation>观众的问题用节目的音色回答，而麦克风没有音色。</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="146"/>
        <source>Drive the show by its script, or choose None next to Catalogue….</source>
        <translation>请改用脚本驱动节目，或在“商品库…”旁选择“无”。</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="150"/>
        <source>the catalogue {path} is not there any more.</source>
        <translation>商品库 {path} 已不存在。</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="151"/>
        <source>Choose it again next to Catalogue…, or choose None.</source>
        <translation>请在“商品库…”旁重新选择，或选择“无”。</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="166"/>
        <source>Audience page: &lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt; · &lt;a href=&quot;%2&quot;&gt;moderator&lt;/a&gt;</source>
        <translation>观众页面：&lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt; · &lt;a href=&quot;%2&quot;&gt;审核&lt;/a&gt;</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="203"/>
        <source>Choose the catalogue</source>
        <translation>选择商品库</translation>
    </message>
    <message>
        <location filename="../live_catalog.py" line="203"/>
        <source>Catalogues (*.toml);;All files (*)</source>
        <translation>商品库 (*.toml);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <location filename="../catalog_page.py" line="100"/>
        <source>Add product</source>
        <translation>添加商品</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="101"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="156"/>
        <source>Could not open the catalogue</source>
        <translation>无法打开商品库</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="166"/>
        <source>Could not import the spreadsheet</source>
        <translation>无法导入表格</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="185"/>
        <source>Catalogue not saved</source>
        <translation>商品库未保存</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="203"/>
        <source>Unsaved catalogue</source>
        <translation>商品库未保存</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="204"/>
        <source>The catalogue has changes that are not saved. Discard them?</source>
        <translation>商品库有未保存的修改。要放弃这些修改吗？</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="205"/>
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="213"/>
        <source>Open a catalogue</source>
        <translation>打开商品库</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="213"/>
        <location filename="../catalog_page.py" line="219"/>
        <source>Catalogues (*.toml);;All files (*)</source>
        <translation>商品库 (*.toml);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="219"/>
        <source>Save the catalogue</source>
        <translation>保存商品库</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="228"/>
        <source>Import products from a spreadsheet</source>
        <translation>从表格导入商品</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="229"/>
        <source>Spreadsheets (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>表格 (*.csv *.tsv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="236"/>
        <source>Choose the product&apos;s picture</source>
        <translation>选择商品图片</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="237"/>
        <source>Pictures (*.png *.jpg *.jpeg *.webp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="247"/>
        <source>Picture not added</source>
        <translation>图片未添加</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="259"/>
        <source>the catalogue has changes that are not saved.</source>
        <translation>商品库有未保存的更改。</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="259"/>
        <source>Save it first.</source>
        <translation>请先保存。</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="265"/>
        <source>the catalogue has a blocked fact.</source>
        <translation>商品库中有被拦截的卖点。</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="265"/>
        <source>Fix it and save, then try again.</source>
        <translation>请修改并保存后重试。</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="269"/>
        <source>Could not write the show</source>
        <translation>无法写入节目脚本</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="281"/>
        <source>Write show from catalogue</source>
        <translation>根据商品库生成脚本</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="282"/>
        <source>The show on the Show page is replaced by the one written from the catalogue.</source>
        <translation>“脚本”页上的节目将被根据商品库生成的节目替换。</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="283"/>
        <source>Replace the show</source>
        <translation>替换节目</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="379"/>
        <source>Blocked: %1</source>
        <translation>已拦截：%1</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="381"/>
        <source>Not saved: rephrase or remove the blocked texts first.</source>
        <translation>未保存：请先改写或删除被拦截的内容。</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="391"/>
        <source>not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="392"/>
        <source> (changed)</source>
        <translation>（已修改）</translation>
    </message>
    <message>
        <location filename="../catalog_page.py" line="393"/>
        <source>Catalogue: %1</source>
        <translation>商品库：%1</translation>
    </message>
</context>
<context>
    <name>CatalogToolbar</name>
    <message>
        <location filename="../catalog_toolbar.py" line="31"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="32"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="33"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="34"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="35"/>
        <source>Import CSV…</source>
        <translation>导入 CSV…</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="36"/>
        <source>A spreadsheet saved as CSV, one product a row</source>
        <translation>另存为 CSV 的表格，每行一个商品</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="39"/>
        <source>The language of the names, facts and FAQ; the second language&apos;s fields are below them</source>
        <translation>商品名称、事实和常见问题所用的语言；第二语言的字段在它们下方</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="42"/>
        <source>The language the show is written in</source>
        <translation>节目脚本所用的语言</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="43"/>
        <source>Write show from catalogue</source>
        <translation>根据商品库生成脚本</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="45"/>
        <source>Make the show&apos;s script from the saved catalogue: intro, facts, offer, call to action</source>
        <translation>用已保存的商品库生成节目话术：开场、卖点、优惠、下单引导</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="53"/>
        <source>Written in</source>
        <translation>撰写语言</translation>
    </message>
    <message>
        <location filename="../catalog_toolbar.py" line="56"/>
        <source>Show in</source>
        <translation>显示语言</translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message>
        <location filename="../camera_view.py" line="255"/>
        <source>Checked once exactly one face is found</source>
        <translation>检测到恰好一张人脸后才检查</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="264"/>
        <source>Measured: {detail}</source>
        <translation>测量值：{detail}</translation>
    </message>
</context>
<context>
    <name>ClaimMark</name>
    <message>
        <location filename="../show_claims.py" line="49"/>
        <source>{head}
Suggestion: {suggestion}.
Right-click to let it through with a reason.</source>
        <translation>{head}
建议：{suggestion}。
右键可填写理由后放行。</translation>
    </message>
    <message>
        <location filename="../show_claims.py" line="55"/>
        <source>{head}
Let through by {by} on {when}{why}.
Right-click to withdraw that.</source>
        <translation>{head}
已由 {by} 于 {when} 放行{why}。
右键可撤销放行。</translation>
    </message>
</context>
<context>
    <name>ClaimMarks</name>
    <message>
        <location filename="../show_claims.py" line="240"/>
        <source>Let “{text}” through ({id})…</source>
        <translation>放行“{text}”（{id}）…</translation>
    </message>
    <message>
        <location filename="../show_claims.py" line="245"/>
        <source>Withdraw the override for “{text}” ({id})</source>
        <translation>撤销对“{text}”（{id}）的放行</translation>
    </message>
</context>
<context>
    <name>ConsentPage</name>
    <message>
        <location filename="../capture_consent.py" line="58"/>
        <source>Consent</source>
        <translation>授权同意</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="59"/>
        <source>An avatar may only be made of a real person who agreed to it.</source>
        <translation>只能为同意授权的真实人物制作数字人。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="70"/>
        <source>e.g. Ana Lima</source>
        <translation>例如：李安娜</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="71"/>
        <source>The full name of the person in the picture</source>
        <translation>照片中人物的全名</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="85"/>
        <source>Full name of the person pictured:</source>
        <translation>照片中人物的全名：</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="88"/>
        <source>The statement they agree to:</source>
        <translation>其同意的声明：</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="98"/>
        <location filename="../capture_consent.py" line="213"/>
        <source>Record the statement</source>
        <translation>录下声明</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="101"/>
        <source>Read the statement aloud; it is kept with the avatar as proof of consent</source>
        <translation>朗读声明；录音会随数字人保存，作为授权证明</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="104"/>
        <source>Done reading</source>
        <translation>读完了</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="107"/>
        <source>Go on without a recording</source>
        <translation>不录音，继续</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="118"/>
        <source>Recommended: have them read the statement aloud, to keep as proof.</source>
        <translation>建议：请本人朗读声明并录音，留作证明。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="121"/>
        <source>No microphone found: the consent is kept as your confirmation above.</source>
        <translation>未找到麦克风：授权将以你在上方的确认为准。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="172"/>
        <source>[full name]</source>
        <translation>[全名]</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="181"/>
        <source>To continue: press Done reading once the statement has been read.</source>
        <translation>继续前：声明读完后点击“读完了”。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="183"/>
        <source>To continue: record the statement again, or go on without a recording.</source>
        <translation>继续前：请重新录制声明，或不录音继续。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="185"/>
        <source>To continue: type the person&apos;s full name</source>
        <translation>继续前：请输入此人的全名</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="186"/>
        <source>, then tick the box.</source>
        <translation>，然后勾选确认框。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="188"/>
        <source>To continue: tick the box to confirm their consent.</source>
        <translation>继续前：请勾选确认框，确认对方已授权。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="196"/>
        <source>The name changed: record the statement again (or go on without).</source>
        <translation>名字已更改：请重新录制声明（或不录音继续）。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="211"/>
        <source>Record again</source>
        <translation>重新录制</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="234"/>
        <source>Recording… {READ_ALOUD}</source>
        <translation>正在录音… {READ_ALOUD}</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="257"/>
        <source>✓ Recorded {value:.1f} s. It is kept with the avatar.</source>
        <translation>✓ 已录制 {value:.1f} 秒，录音会随数字人保存。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="270"/>
        <source>Recording cancelled.</source>
        <translation>已取消录音。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="277"/>
        <source>✗ Not accepted: {text}</source>
        <translation>✗ 未通过：{text}</translation>
    </message>
</context>
<context>
    <name>CoverageCount</name>
    <message>
        <location filename="../twin_script.py" line="241"/>
        <source>a closed mouth</source>
        <translation>闭合的嘴</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="243"/>
        <source>Every mouth shape seen.</source>
        <translation>所有口型都已采集到。</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="247"/>
        <source>{some} and {last}</source>
        <translation>{some}和{last}</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="251"/>
        <source>Still wanted: {listed}.</source>
        <translation>还需要：{listed}。</translation>
    </message>
</context>
<context>
    <name>CoverageMeter</name>
    <message>
        <location filename="../twin_record_page.py" line="64"/>
        <source>Mouth shapes seen</source>
        <translation>已采集的口型</translation>
    </message>
</context>
<context>
    <name>DriveBox</name>
    <message>
        <location filename="../live_drive.py" line="13"/>
        <source>Driven by</source>
        <translation>驱动方式</translation>
    </message>
    <message>
        <location filename="../live_drive.py" line="15"/>
        <source>Script (the show&apos;s rundown)</source>
        <translation>脚本（节目单）</translation>
    </message>
    <message>
        <location filename="../live_drive.py" line="17"/>
        <source>The avatar speaks the show written on the Show page, in a loop</source>
        <translation>数字人循环讲解“脚本”页中写好的节目</translation>
    </message>
    <message>
        <location filename="../live_drive.py" line="18"/>
        <source>Microphone (your voice)</source>
        <translation>麦克风（你的声音）</translation>
    </message>
    <message>
        <location filename="../live_drive.py" line="20"/>
        <source>The avatar&apos;s mouth follows your voice, live</source>
        <translation>数字人的口型实时跟随你的声音</translation>
    </message>
</context>
<context>
    <name>InterjectionBox</name>
    <message>
        <location filename="../live_interject.py" line="86"/>
        <source>Say something now</source>
        <translation>立即插话</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="90"/>
        <source>Type a line, then Enter (next) or Ctrl+Enter (now)</source>
        <translation>输入后按 Enter 接着说，Ctrl+Enter 立刻说</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="93"/>
        <source>Say next</source>
        <translation>下一句说</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="95"/>
        <source>After the current sentence (Enter)</source>
        <translation>在当前这句话之后说（Enter）</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="97"/>
        <source>Say now</source>
        <translation>立刻说</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="99"/>
        <source>Interrupt the current sentence (Ctrl+Enter)</source>
        <translation>打断当前这句话（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="104"/>
        <source>Lines sent during this show, newest last: queued, saying, then said</source>
        <translation>本场发送的插话，最新的在最后：排队中、正在说、已说完</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <location filename="../library_page.py" line="76"/>
        <source>Avatars</source>
        <translation>数字人</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="80"/>
        <source>Your digital twins. Each one is made from one consenting person and labelled AI-generated whenever it is shown.</source>
        <translation>你的数字分身。每个都由一位同意授权的真人制作，出现时都会标注“AI 生成”。</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="87"/>
        <source>New from webcam…</source>
        <translation>用摄像头新建…</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="88"/>
        <source>New from photo…</source>
        <translation>用照片新建…</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="89"/>
        <source>New from video…</source>
        <translation>用视频新建…</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="90"/>
        <source>New twin from webcam…</source>
        <translation>用摄像头新建分身…</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="91"/>
        <source>New twin from video…</source>
        <translation>用视频新建分身…</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="93"/>
        <source>A ~45 s recording becomes your own talking face, lips and head motion</source>
        <translation>约 45 秒的录像即可生成你自己的说话面容、口型和头部动作</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="96"/>
        <source>A video of you talking (15 s or more) becomes your own talking face</source>
        <translation>一段你说话的视频（15 秒以上）即可生成你自己的说话面容</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="160"/>
        <location filename="../library_page.py" line="265"/>
        <source>Use this avatar</source>
        <translation>使用此数字人</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="161"/>
        <source>Make it the avatar of the show and the live preview</source>
        <translation>设为节目和实时预览所用的数字人</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="163"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="165"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="167"/>
        <source>Removes the avatar and all its biometric data from this computer</source>
        <translation>从本机删除该数字人及其全部生物特征数据</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="234"/>
        <source>The built-in demo avatar</source>
        <translation>内置演示数字人</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="235"/>
        <source>{tip} (the avatar of the show)</source>
        <translation>{tip}（节目所用的数字人）</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="265"/>
        <source>In use for the show</source>
        <translation>节目正在使用</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="303"/>
        <source>Choose a face photo</source>
        <translation>选择人脸照片</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="310"/>
        <source>Choose a video of the face</source>
        <translation>选择人脸视频</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="325"/>
        <source>Choose a video of the person talking</source>
        <translation>选择此人说话的视频</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="337"/>
        <source>Rename avatar</source>
        <translation>重命名数字人</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="338"/>
        <source>New name for &apos;{old}&apos;:</source>
        <translation>“{old}”的新名称：</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="348"/>
        <source>Could not rename the avatar</source>
        <translation>无法重命名数字人</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="362"/>
        <source>Delete avatar</source>
        <translation>删除数字人</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="364"/>
        <source>Delete &apos;{name}&apos;?

This removes the avatar and all its biometric data (the photo, the face landmarks and any consent recording) from this computer. It cannot be undone.</source>
        <translation>删除“{name}”？

这将从本机删除该数字人及其全部生物特征数据（照片、人脸关键点以及授权录音），且无法撤销。</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="369"/>
        <source>

It is the avatar of the show: the show will use the demo avatar instead.</source>
        <translation>

它是节目当前所用的数字人：节目将改用演示数字人。</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="373"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../library_page.py" line="389"/>
        <source>Could not delete the avatar</source>
        <translation>无法删除数字人</translation>
    </message>
</context>
<context>
    <name>LiveControls</name>
    <message>
        <location filename="../live_layout.py" line="29"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../live_layout.py" line="33"/>
        <source>Start the show: the preview shows it, and the outputs switched on get it</source>
        <translation>开始节目：预览中可以看到，已打开的输出也会收到画面</translation>
    </message>
    <message>
        <location filename="../live_layout.py" line="35"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location filename="../live_layout.py" line="37"/>
        <source>Stop the show; recordings are finished and closed</source>
        <translation>停止节目；录制文件会完成并关闭</translation>
    </message>
</context>
<context>
    <name>LiveNotices</name>
    <message>
        <location filename="../live_notices.py" line="121"/>
        <source>Live show warning</source>
        <translation>直播警告</translation>
    </message>
    <message>
        <location filename="../live_notices.py" line="137"/>
        <source>Not live yet</source>
        <translation>尚未开播</translation>
    </message>
    <message>
        <location filename="../live_notices.py" line="167"/>
        <source>The {output} output stopped: {reason}</source>
        <translation>{output}输出已停止：{reason}</translation>
    </message>
    <message>
        <location filename="../live_notices.py" line="170"/>
        <source>The show goes on without it. Switch it off and on again to retry.</source>
        <translation>节目继续进行，但不再使用它。可关闭后重新打开以重试。</translation>
    </message>
    <message>
        <location filename="../live_notices.py" line="174"/>
        <source>Output failed</source>
        <translation>输出失败</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <location filename="../live_panel.py" line="224"/>
        <source>no avatar is chosen for the show.</source>
        <translation>尚未为节目选择数字人。</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="224"/>
        <source>Choose one on the Avatars page.</source>
        <translation>请在“数字人”页面选择一个。</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="243"/>
        <source>Cannot go live</source>
        <translation>无法开播</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="253"/>
        <source>Getting {name} ready…</source>
        <translation>正在准备 {name}…</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="263"/>
        <source>Recording to {name}</source>
        <translation>正在录制到 {name}</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="266"/>
        <source>Going live</source>
        <translation>正在开播</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="285"/>
        <source>Could not go live</source>
        <translation>无法开播</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="361"/>
        <source>The show stopped</source>
        <translation>节目已停止</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="368"/>
        <source>The show did not stop cleanly</source>
        <translation>节目未能正常停止</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="396"/>
        <source>the avatar</source>
        <translation>数字人</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="398"/>
        <source>Starting {name}…</source>
        <translation>正在启动 {name}…</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="399"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="400"/>
        <source>Press Start to preview {name}</source>
        <translation>点击“开始”预览 {name}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="109"/>
        <source>Studio</source>
        <translation>Studio</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="143"/>
        <source>Show</source>
        <translation>脚本</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="145"/>
        <source>What the avatar says: segments of product script, each with a voice, repeated and looped.</source>
        <translation>数字人要说的话：一段段商品话术，每段可选音色、重复并循环播放。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="161"/>
        <location filename="../main_window.py" line="166"/>
        <source>Catalogue</source>
        <translation>商品库</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="162"/>
        <source>Products, prices, facts and FAQ: all the host may say about them</source>
        <translation>商品、价格、卖点和常见问题：主播能说的全部内容</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167"/>
        <source>The products, and everything the host may say about them; every fact is checked.</source>
        <translation>商品以及主播关于它们能说的一切；每条事实都会经过检查。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="252"/>
        <source>Could not open the avatar</source>
        <translation>无法打开数字人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="254"/>
        <source>Avatar &apos;{ref}&apos; could not be opened; using the demo.</source>
        <translation>无法打开数字人“{ref}”，已改用演示数字人。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="262"/>
        <source>Avatar: {ref}</source>
        <translation>数字人：{ref}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="280"/>
        <source>Portrait photo: video set to {width}×{height} (9:16). Change it in Settings.</source>
        <translation>竖版照片：视频已设为 {width}×{height}（9:16）。可在“设置”中修改。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="302"/>
        <source>Settings not saved</source>
        <translation>设置未保存</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="325"/>
        <source>Could not read {name}: {exc}</source>
        <translation>无法读取 {name}：{exc}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="329"/>
        <source> It was kept as {name}.</source>
        <translation> 已另存为 {name}。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="340"/>
        <source>Could not autosave the show: {exc}</source>
        <translation>无法自动保存节目：{exc}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="367"/>
        <source>You are live. Quitting stops the show for everyone watching.

Stop the show and quit?</source>
        <translation>正在直播。退出会为所有观众停止节目。

停止节目并退出吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="371"/>
        <source>The show is being recorded. Quitting stops it and finishes the recording.

Stop and quit?</source>
        <translation>节目正在录制。退出会停止录制并完成录制文件。

停止并退出吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="373"/>
        <source>The preview is running. Quitting stops it.

Stop the preview and quit?</source>
        <translation>预览正在运行。退出会停止预览。

停止预览并退出吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="386"/>
        <location filename="../main_window.py" line="397"/>
        <source>Quit Studio</source>
        <translation>退出 Studio</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="388"/>
        <source>Stop and quit</source>
        <translation>停止并退出</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="398"/>
        <source>The catalogue has changes that are not saved.

Quit without saving them?</source>
        <translation>商品库有未保存的修改。

不保存就退出吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="399"/>
        <source>Quit without saving</source>
        <translation>不保存，退出</translation>
    </message>
</context>
<context>
    <name>OnAirAvatar</name>
    <message>
        <location filename="../live_avatar.py" line="94"/>
        <source>Could not put the avatar on air</source>
        <translation>无法让该数字人上播</translation>
    </message>
</context>
<context>
    <name>OutputSwitch</name>
    <message>
        <location filename="../live_switch.py" line="84"/>
        <source>Recording to {name}</source>
        <translation>正在录制到 {name}</translation>
    </message>
    <message>
        <location filename="../live_switch.py" line="127"/>
        <source>Could not switch the output</source>
        <translation>无法切换输出</translation>
    </message>
    <message>
        <location filename="../live_switch.py" line="134"/>
        <source>Could not switch the output on</source>
        <translation>无法打开该输出</translation>
    </message>
</context>
<context>
    <name>OutputsBox</name>
    <message>
        <location filename="../live_outputs.py" line="132"/>
        <source>Virtual camera</source>
        <translation>虚拟摄像头</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="119"/>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="133"/>
        <location filename="../live_outputs.py" line="292"/>
        <source>Audio device</source>
        <translation>音频设备</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="141"/>
        <location filename="../live_outputs.py" line="351"/>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="146"/>
        <source>List the audio devices again (after plugging one in)</source>
        <translation>重新列出音频设备（插入新设备后）</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="149"/>
        <source>Record</source>
        <translation>录制</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="261"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="261"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="292"/>
        <source>Audio device (none found)</source>
        <translation>音频设备（未找到）</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="154"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="159"/>
        <source>RTMP stream</source>
        <translation>RTMP 推流</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="311"/>
        <source>Record into folder</source>
        <translation>录制到文件夹</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="338"/>
        <source>Devices could not be listed: {reason}</source>
        <translation>无法列出设备：{reason}</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="353"/>
        <source> (default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="369"/>
        <source>{name} (not found)</source>
        <translation>{name}（未找到）</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../show_override.py" line="36"/>
        <source>Let a claim through</source>
        <translation>放行一条宣称</translation>
    </message>
    <message>
        <location filename="../show_override.py" line="42"/>
        <source>“{text}” breaks {id}: {message} ({source}).

Let it through only if you can prove it, e.g. with a certificate or a ranking. The override is saved with the show, for these exact words, and recorded in the show&apos;s log each time the line is spoken.</source>
        <translation>“{text}”违反了 {id}：{message}（{source}）。

仅在你能提供证明（例如证书或排名）时才放行。放行记录会随节目保存，只适用于这句原话，并且每次说出这句话时都会记入节目日志。</translation>
    </message>
    <message>
        <location filename="../show_override.py" line="57"/>
        <source>e.g. the association&apos;s 2026 ranking, certificate no. 123</source>
        <translation>例如：协会 2026 年排名，证书编号 123</translation>
    </message>
    <message>
        <location filename="../show_override.py" line="61"/>
        <source>Let it through</source>
        <translation>放行</translation>
    </message>
    <message>
        <location filename="../show_override.py" line="66"/>
        <source>Decided &amp;by</source>
        <translation>决定人(&amp;B)</translation>
    </message>
    <message>
        <location filename="../show_override.py" line="67"/>
        <source>&amp;Why</source>
        <translation>理由(&amp;W)</translation>
    </message>
</context>
<context>
    <name>PicturePage</name>
    <message>
        <location filename="../capture_files.py" line="61"/>
        <source>Choose a file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="72"/>
        <source>Make the avatar of:</source>
        <translation>用以下素材制作数字人：</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="93"/>
        <source>no camera</source>
        <translation>无摄像头</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="104"/>
        <source>Choose another photo…</source>
        <translation>选择另一张照片…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="104"/>
        <source>Choose a photo…</source>
        <translation>选择照片…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="106"/>
        <source>Choose another video…</source>
        <translation>选择另一个视频…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="106"/>
        <source>Choose a video…</source>
        <translation>选择视频…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="115"/>
        <source>Choose a face photo</source>
        <translation>选择人脸照片</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="119"/>
        <source>Choose a video</source>
        <translation>选择视频</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="132"/>
        <location filename="../capture_files.py" line="220"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="135"/>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="139"/>
        <source>Looking for the best frame of {name}…</source>
        <translation>正在查找 {name} 中最好的一帧…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="144"/>
        <source>Finding the best frame</source>
        <translation>正在查找最佳画面</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="164"/>
        <source>, person {value} of {count}</source>
        <translation>，第 {value} 人（共 {count} 人）</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="169"/>
        <source>This photo cannot be used: {said}</source>
        <translation>这张照片无法使用：{said}</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="171"/>
        <source>The photo passes every check. Press Next.</source>
        <translation>照片通过了所有检查。点击“下一步”。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="174"/>
        <source>The photo can be used. {ADVICE}</source>
        <translation>照片可以使用。{ADVICE}</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="190"/>
        <source>Person {value}</source>
        <translation>第 {value} 人</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="194"/>
        <source>Crop the photo around person {value} (numbered left to right)</source>
        <translation>围绕第 {value} 人裁剪照片（从左到右编号）</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="205"/>
        <source>This photo shows {count} people. Pick the one to make the avatar of: the photo is cropped around them, then checked.</source>
        <translation>照片中有 {count} 个人。请选择要制作数字人的那一位：照片会围绕此人裁剪，然后再检查。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="219"/>
        <source>Cropping to person {value}…</source>
        <translation>正在裁剪到第 {value} 人…</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="222"/>
        <source>the photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="229"/>
        <source>{name}, frame at {when:.1f} s</source>
        <translation>{name}，{when:.1f} 秒处的画面</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="230"/>
        <source>Using the frame at {when:.1f} s. Press Next.</source>
        <translation>使用 {when:.1f} 秒处的画面。点击“下一步”。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="236"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="241"/>
        <source>This file</source>
        <translation>此文件</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="242"/>
        <source>{name} cannot be used.</source>
        <translation>{name} 无法使用。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="243"/>
        <source>Cannot use this file</source>
        <translation>无法使用此文件</translation>
    </message>
</context>
<context>
    <name>PreviewView</name>
    <message>
        <location filename="../live_preview.py" line="35"/>
        <source>Press Start to preview the avatar</source>
        <translation>点击“开始”预览数字人</translation>
    </message>
</context>
<context>
    <name>ProductForm</name>
    <message>
        <location filename="../catalog_form.py" line="41"/>
        <source>USD, CNY, EUR…</source>
        <translation>USD、CNY、EUR…</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="42"/>
        <source>19.99</source>
        <translation>19.99</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="45"/>
        <source>A picture beside catalog.toml, e.g. mug.png</source>
        <translation>catalog.toml 旁边的图片，例如 mug.png</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="46"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="48"/>
        <source>One fact a line, e.g. Holds 350 ml.</source>
        <translation>每行一条事实，例如：容量 350 毫升。</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="49"/>
        <source>The same facts translated, one a line, same order</source>
        <translation>对应的译文，每行一条，顺序相同</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="55"/>
        <source>Add question</source>
        <translation>添加问题</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="56"/>
        <source>Remove question</source>
        <translation>删除问题</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="65"/>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="66"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="67"/>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="68"/>
        <source>Currency</source>
        <translation>币种</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="69"/>
        <source>Promotion</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="70"/>
        <source>Facts</source>
        <translation>商品事实</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="71"/>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="86"/>
        <source>Viewers&apos; questions and their answers (FAQ)</source>
        <translation>观众提问及回答（常见问题）</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="106"/>
        <source>Second language (%1): what the host says to viewers who ask in it</source>
        <translation>第二语言（%1）：主播用它回答用该语言提问的观众</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="108"/>
        <source>Name (%1)</source>
        <translation>名称（%1）</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="109"/>
        <source>Promotion (%1)</source>
        <translation>优惠（%1）</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="110"/>
        <source>Facts (%1)</source>
        <translation>商品事实（%1）</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="113"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="114"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="115"/>
        <source>Question (%1)</source>
        <translation>问题（%1）</translation>
    </message>
    <message>
        <location filename="../catalog_form.py" line="116"/>
        <source>Answer (%1)</source>
        <translation>回答（%1）</translation>
    </message>
</context>
<context>
    <name>ReadinessBox</name>
    <message>
        <location filename="../live_readiness.py" line="73"/>
        <source>Ready to go live?</source>
        <translation>准备好开播了吗？</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="96"/>
        <source>Check again (after installing or plugging something in)</source>
        <translation>重新检查（安装或插入设备后）</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="103"/>
        <location filename="../live_readiness.py" line="297"/>
        <source>Why?</source>
        <translation>原因？</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="104"/>
        <source>Show what was found for each output, and each fix in words</source>
        <translation>显示每个输出的检查结果和修复方法说明</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="106"/>
        <source>Not checked yet.</source>
        <translation>尚未检查。</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="120"/>
        <source>Virtual camera</source>
        <translation>虚拟摄像头</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="121"/>
        <source>Voice to other apps</source>
        <translation>声音输出到其他应用</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="122"/>
        <source>RTMP stream</source>
        <translation>RTMP 推流</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="123"/>
        <source>Recording</source>
        <translation>录制</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="172"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="188"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="188"/>
        <source>not ready</source>
        <translation>未就绪</translation>
    </message>
    <message numerus="yes">
        <location filename="../live_readiness.py" line="215"/>
        <source>%n output(s) not ready: the fix is beside each (Why? says more).</source>
        <translation>
            <numerusform>%n 个输出未就绪：每项旁边都有修复方法（“原因？”中有更多说明）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="219"/>
        <source>Every output is ready.</source>
        <translation>所有输出均已就绪。</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="232"/>
        <source>The outputs could not be checked: {reason}</source>
        <translation>无法检查输出：{reason}</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="237"/>
        <source>Set up the Studio Camera</source>
        <translation>设置 Studio 虚拟摄像头</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="238"/>
        <source>Create Studio Voice</source>
        <translation>创建 Studio 声音设备</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="239"/>
        <source>Get OBS Studio</source>
        <translation>获取 OBS Studio</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="240"/>
        <source>Get VB-CABLE</source>
        <translation>获取 VB-CABLE</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="241"/>
        <source>Get BlackHole</source>
        <translation>获取 BlackHole</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="257"/>
        <source>Opened {url} in your browser. Install it, then come back: Studio checks again.</source>
        <translation>已在浏览器中打开 {url}。安装后回到这里，Studio 会重新检查。</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="263"/>
        <source>No browser could be opened. Go to {url} yourself.</source>
        <translation>无法打开浏览器。请自行访问 {url}。</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="271"/>
        <source>Working on it… (your password may be asked for)</source>
        <translation>正在处理…（可能会要求输入密码）</translation>
    </message>
    <message>
        <location filename="../live_readiness.py" line="297"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
</context>
<context>
    <name>RecordingPlan</name>
    <message>
        <location filename="../twin_script.py" line="105"/>
        <source>Part 1 of 3 · Stay quiet</source>
        <translation>第 1 部分，共 3 部分 · 保持安静</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="113"/>
        <source>Part 2 of 3 · Read the statement aloud</source>
        <translation>第 2 部分，共 3 部分 · 朗读声明</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="122"/>
        <source>Part 3 of 3 · Read the script aloud</source>
        <translation>第 3 部分，共 3 部分 · 朗读脚本</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="129"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="130"/>
        <source>Thank you. The recording is complete.</source>
        <translation>谢谢，录制完成。</translation>
    </message>
</context>
<context>
    <name>RecordingReport</name>
    <message>
        <location filename="../live_recording.py" line="34"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../live_recording.py" line="37"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../live_recording.py" line="75"/>
        <source>What was recorded until then is kept in {name}.</source>
        <translation>此前录制的内容已保存在 {name}。</translation>
    </message>
    <message>
        <location filename="../live_recording.py" line="77"/>
        <source>Nothing of it could be kept.</source>
        <translation>没有内容能够保存。</translation>
    </message>
    <message>
        <location filename="../live_recording.py" line="82"/>
        <source>Recording stopped: {cause}. {what}</source>
        <translation>录制已停止：{cause}。{what}</translation>
    </message>
    <message>
        <location filename="../live_recording.py" line="98"/>
        <source>Recorded {recorded_length} to {name}</source>
        <translation>已录制 {recorded_length}，保存到 {name}</translation>
    </message>
</context>
<context>
    <name>RoomBox</name>
    <message>
        <location filename="../live_room.py" line="66"/>
        <source>Viewers&apos; questions</source>
        <translation>观众提问</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="74"/>
        <source>Edit the answer, then Approve edited</source>
        <translation>编辑回答，然后点击“批准修改后的回答”</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="76"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="77"/>
        <source>Approve edited</source>
        <translation>批准修改后的回答</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="79"/>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="88"/>
        <source>Answer without me:</source>
        <translation>无需我审核自动回答：</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="150"/>
        <source>{count} waiting for you · {waiting} approved, to be said</source>
        <translation>{count} 条等你处理 · {waiting} 条已批准，等待播报</translation>
    </message>
</context>
<context>
    <name>SavedNote</name>
    <message>
        <location filename="../show_file.py" line="68"/>
        <source>Studio keeps the show on this page as you edit it, and opens it again next time. Save show as… writes a copy to a file of your own.</source>
        <translation>你在此页编辑节目时，Studio 会自动保存，下次启动时再次打开。“节目另存为…”可把副本写入你自己的文件。</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="75"/>
        <source>Saved automatically at {stamp}</source>
        <translation>已于 {stamp} 自动保存</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="78"/>
        <source>Studio keeps the show on this page as you edit it, in {path}, and opens it again next time. Save show as… writes a copy to a file of your own.</source>
        <translation>你在此页编辑节目时，Studio 会自动保存到 {path}，下次启动时再次打开。“节目另存为…”可把副本写入你自己的文件。</translation>
    </message>
</context>
<context>
    <name>SegmentForm</name>
    <message>
        <location filename="../show_form.py" line="151"/>
        <source>Segment</source>
        <translation>段落</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="157"/>
        <source>Optional, e.g. Welcome</source>
        <translation>选填，例如：欢迎</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="161"/>
        <source>What the avatar says. Sentences are spoken one after another.</source>
        <translation>数字人要说的话。句子会依次说出。</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="179"/>
        <source>How many times this segment is spoken before the next one.</source>
        <translation>本段落在进入下一段之前重复说几遍。</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="184"/>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="185"/>
        <source>Silence after each sentence of this segment.</source>
        <translation>本段落每句话之后的停顿。</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="192"/>
        <source>The spoken length is {ESTIMATE_NOTE}; each voice has its own pace.</source>
        <translation>朗读时长为{ESTIMATE_NOTE}；每个音色语速不同。</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="201"/>
        <source>&amp;Title</source>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="202"/>
        <source>Te&amp;xt</source>
        <translation>文本(&amp;X)</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="203"/>
        <source>&amp;Voice</source>
        <translation>音色(&amp;V)</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="205"/>
        <source>&amp;Repeat</source>
        <translation>重复(&amp;R)</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="206"/>
        <source>&amp;Pause</source>
        <translation>停顿(&amp;P)</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="230"/>
        <source>Segment {number} of {count}</source>
        <translation>第 {number} 段，共 {count} 段</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="261"/>
        <source>Nothing to say yet: type the text above.</source>
        <translation>还没有要说的内容：请在上方输入文本。</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="265"/>
        <source>, {format_seconds} with {repeat} repeats</source>
        <translation>，重复 {repeat} 次共 {format_seconds}</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="272"/>
        <source>About {format_seconds} spoken{repeats}</source>
        <translation>朗读约 {format_seconds}{repeats}</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="275"/>
        <source>{spoken}, pauses included (estimate).</source>
        <translation>{spoken}，含停顿（估算）。</translation>
    </message>
</context>
<context>
    <name>SegmentTable</name>
    <message>
        <location filename="../show_form.py" line="63"/>
        <source>About how long the segment lasts, repeats and pauses included (an estimate).</source>
        <translation>本段大约持续多久，含重复和停顿（估算）。</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="82"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="86"/>
        <source>Studio picks the voice from the text.</source>
        <translation>Studio 根据文本选择音色。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../settings_page.py" line="74"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="76"/>
        <source>Saved automatically to {settings_path}</source>
        <translation>自动保存到 {settings_path}</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="82"/>
        <source>Default: your Studio data folder</source>
        <translation>默认：你的 Studio 数据文件夹</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="85"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="89"/>
        <location filename="../settings_page.py" line="264"/>
        <source>Set with --library for this session</source>
        <translation>本次运行已用 --library 指定</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="96"/>
        <source>Refresh devices</source>
        <translation>刷新设备</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="111"/>
        <source>{f} fps</source>
        <translation>{f} 帧/秒</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="114"/>
        <source>Where the lip-sync model runs when the microphone or a file drives it</source>
        <translation>用麦克风或文件驱动时，口型同步模型运行在哪里</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="119"/>
        <source>Show the AI-generated label on every frame</source>
        <translation>在每一帧上显示“AI 生成”标识</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="123"/>
        <source>Platforms and the law in many markets require AI-generated people to be labelled. The metadata label is always written.</source>
        <translation>许多市场的平台规则和法律要求标注 AI 生成的人物。元数据标识始终会写入。</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="136"/>
        <source>Turning the visible label off may break platform rules. To stream or feed the virtual camera without it, type your name below: each show&apos;s session log records it.</source>
        <translation>关闭可见标识可能违反平台规则。若要在没有标识的情况下推流或输出到虚拟摄像头，请在下方输入你的名字：每场节目的日志都会记录。</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="146"/>
        <source>Your name, to go live unlabelled on RTMP or the virtual camera</source>
        <translation>你的名字，用于无标识地进行 RTMP 推流或虚拟摄像头直播</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="151"/>
        <source>Say that the host is AI-generated, in the show&apos;s voice</source>
        <translation>用节目音色声明主播由 AI 生成</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="155"/>
        <source>A spoken notice before the first sentence and again every few minutes, between two sentences, in the language of the sentence it comes before.</source>
        <translation>在第一句话之前播报一次，之后每隔几分钟在两句话之间再播报一次，语言与其后的那句话相同。</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="162"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="163"/>
        <source>At the start only</source>
        <translation>仅在开场时</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="171"/>
        <source>Nothing said in this language</source>
        <translation>该语言不播报</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="178"/>
        <source>The language changes when Studio starts again.</source>
        <translation>语言将在 Studio 下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="181"/>
        <source>Restore defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="184"/>
        <source>Devices, video, lip sync and the AI label; your avatar, show and outputs stay</source>
        <translation>设备、视频、口型同步和 AI 标识；数字人、节目和输出保持不变</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="190"/>
        <source>Avatar library:</source>
        <translation>数字人库：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="191"/>
        <source>Camera:</source>
        <translation>摄像头：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="192"/>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="195"/>
        <source>Video size:</source>
        <translation>视频尺寸：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="196"/>
        <source>Frame rate:</source>
        <translation>帧率：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="197"/>
        <source>Lip sync runs on:</source>
        <translation>口型同步运行于：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="198"/>
        <source>AI label:</source>
        <translation>AI 标识：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="199"/>
        <source>Label text:</source>
        <translation>标识文字：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="200"/>
        <source>Label corner:</source>
        <translation>标识位置：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="202"/>
        <source>Unlabelled by:</source>
        <translation>无标识确认人：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="203"/>
        <source>AI notice:</source>
        <translation>AI 声明：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="204"/>
        <source>Say it every:</source>
        <translation>播报间隔：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="205"/>
        <source>Chinese notice:</source>
        <translation>中文声明：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="206"/>
        <source>English notice:</source>
        <translation>英文声明：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="207"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="273"/>
        <location filename="../settings_page.py" line="361"/>
        <source>First camera found</source>
        <translation>找到的第一个摄像头</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="275"/>
        <location filename="../settings_page.py" line="364"/>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="334"/>
        <source>Avatar library folder</source>
        <translation>数字人库文件夹</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="350"/>
        <source>Looking for cameras and microphones…</source>
        <translation>正在查找摄像头和麦克风…</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="361"/>
        <source>No camera found</source>
        <translation>未找到摄像头</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="364"/>
        <source>No microphone found</source>
        <translation>未找到麦克风</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="375"/>
        <source>{cameras} camera(s), {microphones} microphone(s) found.</source>
        <translation>找到 {cameras} 个摄像头、{microphones} 个麦克风。</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="381"/>
        <source>Could not list devices: {exc}</source>
        <translation>无法列出设备：{exc}</translation>
    </message>
</context>
<context>
    <name>ShowEditor</name>
    <message>
        <location filename="../show_editor.py" line="130"/>
        <source>Import show</source>
        <translation>导入节目</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="140"/>
        <source>Save show</source>
        <translation>保存节目</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="158"/>
        <location filename="../show_editor.py" line="160"/>
        <source>New show</source>
        <translation>新建节目</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="203"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="203"/>
        <source>Add an empty segment after the selected one.</source>
        <translation>在选中段落之后添加一个空段落。</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="206"/>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="206"/>
        <source>Copy the selected segment.</source>
        <translation>复制选中的段落。</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="209"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="209"/>
        <source>Remove the selected segment.</source>
        <translation>删除选中的段落。</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="212"/>
        <source>Undo remove</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="214"/>
        <source>Put back the segment you just removed (Ctrl+Z).</source>
        <translation>恢复刚删除的段落（Ctrl+Z）。</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="218"/>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="218"/>
        <source>Speak the selected segment earlier.</source>
        <translation>让选中的段落提前说。</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="221"/>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="221"/>
        <source>Speak the selected segment later.</source>
        <translation>让选中的段落推后说。</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="316"/>
        <source>Put back “{segment_label}”, which you just removed</source>
        <translation>恢复刚删除的“{segment_label}”</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="381"/>
        <source>Whole show ≈ {format_seconds} per pass (estimate)</source>
        <translation>整场节目每轮约 {format_seconds}（估算）</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="392"/>
        <source>Import a show</source>
        <translation>导入节目</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="402"/>
        <source>Save the show as</source>
        <translation>节目另存为</translation>
    </message>
    <message>
        <location filename="../show_editor.py" line="402"/>
        <source>Shows (*.toml)</source>
        <translation>节目 (*.toml)</translation>
    </message>
</context>
<context>
    <name>ShowHeader</name>
    <message>
        <location filename="../show_header.py" line="23"/>
        <source>New show</source>
        <translation>新建节目</translation>
    </message>
    <message>
        <location filename="../show_header.py" line="23"/>
        <source>Start an empty show (asks first).</source>
        <translation>新建一个空节目（会先询问）。</translation>
    </message>
    <message>
        <location filename="../show_header.py" line="27"/>
        <source>Import show…</source>
        <translation>导入节目…</translation>
    </message>
    <message>
        <location filename="../show_header.py" line="29"/>
        <source>Open a show: a rundown file (.toml) or a text script (.txt, one segment a line).</source>
        <translation>打开节目：节目单文件（.toml）或文本脚本（.txt，每行一段）。</translation>
    </message>
    <message>
        <location filename="../show_header.py" line="33"/>
        <source>Save show as…</source>
        <translation>节目另存为…</translation>
    </message>
    <message>
        <location filename="../show_header.py" line="35"/>
        <source>Save the show as a rundown file (.toml), which &apos;studio live --script&apos; also reads.</source>
        <translation>把节目保存为节目单文件（.toml），“studio live --script”也能读取。</translation>
    </message>
    <message>
        <location filename="../show_header.py" line="37"/>
        <source>Loop the show</source>
        <translation>循环播放节目</translation>
    </message>
    <message>
        <location filename="../show_header.py" line="40"/>
        <source>After the last segment, start again from the first.</source>
        <translation>最后一段结束后，从第一段重新开始。</translation>
    </message>
</context>
<context>
    <name>SourcePage</name>
    <message>
        <location filename="../capture_source.py" line="101"/>
        <source>The camera to take the picture with</source>
        <translation>用来拍照的摄像头</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="104"/>
        <source>Camera:</source>
        <translation>摄像头：</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="106"/>
        <location filename="../capture_source.py" line="253"/>
        <location filename="../capture_source.py" line="314"/>
        <source>Capture</source>
        <translation>拍摄</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="109"/>
        <source>Counts down 3, 2, 1 and takes the picture while every check passes</source>
        <translation>倒数 3、2、1，在所有检查都通过时拍照</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="112"/>
        <source>Retake</source>
        <translation>重拍</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="114"/>
        <source>Use a photo instead…</source>
        <translation>改用照片…</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="119"/>
        <source>Use a video file instead…</source>
        <translation>改用视频文件…</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="201"/>
        <source>Looking for cameras…</source>
        <translation>正在查找摄像头…</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="235"/>
        <source>no camera was found on this computer.</source>
        <translation>这台电脑上没有找到摄像头。</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="250"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="251"/>
        <source>Waiting for the camera.</source>
        <translation>正在等待摄像头。</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="273"/>
        <source>No camera available.</source>
        <translation>没有可用的摄像头。</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="277"/>
        <source>No camera</source>
        <translation>无摄像头</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="304"/>
        <location filename="../capture_source.py" line="319"/>
        <source>Hold still…</source>
        <translation>请保持不动…</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="318"/>
        <source>Stop countdown</source>
        <translation>停止倒数</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="327"/>
        <source>Captured. Press Next to continue, or Retake.</source>
        <translation>已拍摄。点击“下一步”继续，或点击“重拍”。</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <location filename="../live_status.py" line="214"/>
        <location filename="../live_status.py" line="279"/>
        <source>Whether the show is running, and where it goes</source>
        <translation>节目是否在运行，以及输出到哪里</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="258"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="303"/>
        <source>{fps:.1f} fps</source>
        <translation>{fps:.1f} 帧/秒</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="304"/>
        <source>late frames {late_percent:.1f}%</source>
        <translation>迟到帧 {late_percent:.1f}%</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="306"/>
        <source>{LATE_TIP}
({late} of {value} so far.)</source>
        <translation>{LATE_TIP}
（目前为止 {value} 帧中有 {late} 帧。）</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="313"/>
        <source>sync {av_error_ms:+.0f} ms</source>
        <translation>音画同步 {av_error_ms:+.0f} 毫秒</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="318"/>
        <source>mic delay {latency_ms:.0f} ms</source>
        <translation>麦克风延迟 {latency_ms:.0f} 毫秒</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="336"/>
        <source>Saying: “{said}”</source>
        <translation>正在说：“{said}”</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="336"/>
        <source>Saying: (nothing, idle)</source>
        <translation>正在说：（无，空闲）</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="352"/>
        <source>reply delay {value:.1f} s</source>
        <translation>回复延迟 {value:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="384"/>
        <source>Live show warning</source>
        <translation>直播警告</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="388"/>
        <source>The latest of {count} warnings during this show. </source>
        <translation>这是本场 {count} 条警告中最新的一条。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="392"/>
        <source>{latest}The show goes on.</source>
        <translation>{latest}节目继续进行。</translation>
    </message>
</context>
<context>
    <name>ThumbnailLoader</name>
    <message>
        <location filename="../library_thumbs.py" line="102"/>
        <source>loading thumbnails</source>
        <translation>正在加载缩略图</translation>
    </message>
</context>
<context>
    <name>TwinBuildPage</name>
    <message>
        <location filename="../twin_wizard.py" line="79"/>
        <source>Step 3 of 3 · Name and create</source>
        <translation>第 3 步，共 3 步 · 命名并创建</translation>
    </message>
    <message>
        <location filename="../twin_wizard.py" line="80"/>
        <source>Studio measures the recording and builds the twin: about a minute.</source>
        <translation>Studio 会分析录像并生成分身：大约需要一分钟。</translation>
    </message>
</context>
<context>
    <name>TwinBuildPanel</name>
    <message>
        <location filename="../twin_build.py" line="141"/>
        <source>Cancel build</source>
        <translation>取消创建</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="149"/>
        <source>Twin name:</source>
        <translation>分身名称：</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="185"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="199"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="208"/>
        <source>Created the twin &apos;{name}&apos;.</source>
        <translation>已创建分身“{name}”。</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="214"/>
        <source>Cancelled: nothing was saved.</source>
        <translation>已取消：未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="217"/>
        <source>Not created: {refusal}</source>
        <translation>未创建：{refusal}</translation>
    </message>
</context>
<context>
    <name>TwinConsentForm</name>
    <message>
        <location filename="../twin_build.py" line="63"/>
        <source>e.g. Ana Lima</source>
        <translation>例如：李安娜</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="78"/>
        <source>Full name of the person filmed:</source>
        <translation>被拍摄者的全名：</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="82"/>
        <source>The statement they agree to:</source>
        <translation>其同意的声明：</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="94"/>
        <source>[full name]</source>
        <translation>[全名]</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="102"/>
        <source>To continue: type the person&apos;s full name, then tick the box.</source>
        <translation>继续前：请输入此人的全名，然后勾选确认框。</translation>
    </message>
    <message>
        <location filename="../twin_build.py" line="104"/>
        <source>To continue: tick the box to confirm their consent.</source>
        <translation>继续前：请勾选确认框，确认对方已授权。</translation>
    </message>
</context>
<context>
    <name>TwinConsentPage</name>
    <message>
        <location filename="../twin_wizard.py" line="44"/>
        <source>Step 1 of 3 · Consent</source>
        <translation>第 1 步，共 3 步 · 授权同意</translation>
    </message>
    <message>
        <location filename="../twin_wizard.py" line="45"/>
        <source>A twin may only be made of a real person who agreed to it.</source>
        <translation>只能为同意授权的真实人物制作分身。</translation>
    </message>
    <message>
        <location filename="../twin_wizard.py" line="48"/>
        <source>They read this statement aloud during the recording; with a microphone, that part of the recording is kept with the twin as proof.</source>
        <translation>录像时本人会朗读这段声明；如有麦克风，这部分录音会随分身保存，作为证明。</translation>
    </message>
    <message>
        <location filename="../twin_wizard.py" line="58"/>
        <source>Script to read:</source>
        <translation>朗读脚本：</translation>
    </message>
</context>
<context>
    <name>TwinRecordPage</name>
    <message>
        <location filename="../twin_record_page.py" line="131"/>
        <source>Step 2 of 3 · Record</source>
        <translation>第 2 步，共 3 步 · 录制</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="132"/>
        <source>About 45 s: keep quiet, read the statement, then read the script.</source>
        <translation>约 45 秒：先保持安静，再朗读声明，然后朗读脚本。</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="157"/>
        <location filename="../twin_record_page.py" line="313"/>
        <location filename="../twin_record_page.py" line="346"/>
        <source>Start recording</source>
        <translation>开始录制</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="203"/>
        <source>About {total_s:.0f} s: keep quiet, read the statement, then read the script.</source>
        <translation>约 {total_s:.0f} 秒：先保持安静，再朗读声明，然后朗读脚本。</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="208"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="219"/>
        <source>Ready · about {total_s:.0f} s</source>
        <translation>就绪 · 约 {total_s:.0f} 秒</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="221"/>
        <source>Press Start recording, then follow this box: first keep quiet, then read the statement, then the script.</source>
        <translation>点击“开始录制”，然后按此框提示进行：先保持安静，再朗读声明，然后朗读脚本。</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="228"/>
        <source>To continue: record yourself (Start recording).</source>
        <translation>继续前：请录制你自己（开始录制）。</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="239"/>
        <source>No camera</source>
        <translation>无摄像头</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="276"/>
        <source>Stopped: nothing was kept. Press Start recording to begin again.</source>
        <translation>已停止：未保存任何内容。点击“开始录制”重新开始。</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="296"/>
        <source>Recording without sound: {one_line}</source>
        <translation>无声录制：{one_line}</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="300"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="318"/>
        <source>Saving the recording…</source>
        <translation>正在保存录像…</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="332"/>
        <source>Record again</source>
        <translation>重新录制</translation>
    </message>
    <message>
        <location filename="../twin_record_page.py" line="335"/>
        <source>Recorded {total_s:.0f} s. {advice} Press Next.</source>
        <translation>已录制 {total_s:.0f} 秒。{advice}点击“下一步”。</translation>
    </message>
</context>
<context>
    <name>TwinVideoDialog</name>
    <message>
        <location filename="../twin_video.py" line="46"/>
        <source>New twin from video</source>
        <translation>用视频新建分身</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="53"/>
        <source>{name}: checking the video…</source>
        <translation>{name}：正在检查视频…</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="58"/>
        <source>The video must show only this person, talking, for at least 15 s: the twin is made from their own face, mouth and head motion.</source>
        <translation>视频中必须只有此人在说话，且至少 15 秒：分身由其本人的面容、口型和头部动作制作。</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="68"/>
        <source>Create twin</source>
        <translation>创建分身</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="72"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="119"/>
        <source>Choose another video.</source>
        <translation>请选择另一个视频。</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="121"/>
        <source>Checking the video…</source>
        <translation>正在检查视频…</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="125"/>
        <source>To continue: choose another twin name.</source>
        <translation>继续前：请换一个分身名称。</translation>
    </message>
</context>
<context>
    <name>TwinWizard</name>
    <message>
        <location filename="../twin_wizard.py" line="129"/>
        <source>New twin from webcam</source>
        <translation>用摄像头新建分身</translation>
    </message>
    <message>
        <location filename="../twin_wizard.py" line="131"/>
        <source>Create twin</source>
        <translation>创建分身</translation>
    </message>
</context>
<context>
    <name>UndoOffer</name>
    <message>
        <location filename="../show_form.py" line="309"/>
        <source>{tip} (Ctrl+Z).</source>
        <translation>{tip}（Ctrl+Z）。</translation>
    </message>
</context>
<context>
    <name>VideoRecorder</name>
    <message>
        <location filename="../twin_recorder.py" line="153"/>
        <source>no picture arrived from the camera</source>
        <translation>摄像头没有传来画面</translation>
    </message>
    <message>
        <location filename="../twin_recorder.py" line="156"/>
        <source>the recording could not be saved ({why}).</source>
        <translation>无法保存录制内容（{why}）。</translation>
    </message>
    <message>
        <location filename="../twin_recorder.py" line="159"/>
        <source>Record again.</source>
        <translation>请重新录制。</translation>
    </message>
</context>
<context>
    <name>VoiceCheck</name>
    <message>
        <location filename="../show_voice_check.py" line="137"/>
        <source>Use {voice_label}</source>
        <translation>使用 {voice_label}</translation>
    </message>
    <message>
        <location filename="../show_voice_check.py" line="140"/>
        <source>Speak this segment with {voice_label}: installed here, offline, and it reads this text.</source>
        <translation>用 {voice_label} 朗读本段：已安装在本机、离线可用，并且能读这段文本。</translation>
    </message>
</context>
<context>
    <name>VoicePicker</name>
    <message>
        <location filename="../show_voices.py" line="92"/>
        <source>▶ Preview</source>
        <translation>▶ 试听</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="94"/>
        <source>Speak a short sample in this voice on your speakers.</source>
        <translation>用此音色在扬声器上播放一小段示例。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="101"/>
        <source>Show only the voices whose language, name or code contain all these words, e.g. &apos;english&apos;, &apos;chinese&apos;, &apos;en-GB&apos;, &apos;Aria&apos;, &apos;natural&apos;, &apos;online&apos; or &apos;offline&apos;. Enter opens the list.</source>
        <translation>只显示语言、名称或代码包含所有这些词的音色，例如“中文”“普通话”“离线”。按 Enter 打开列表。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="183"/>
        <source>{voice_description}
{NOTES}
Id in rundown files: {id}</source>
        <translation>{voice_description}
{NOTES}
节目单文件中的编号：{id}</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="198"/>
        <source>Studio picks the voice from the language of the text.</source>
        <translation>Studio 根据文本的语言选择音色。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="216"/>
        <source>⚠ {current} (not installed)</source>
        <translation>⚠ {current}（未安装）</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="263"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="265"/>
        <source>Chinese, Japanese or Korean</source>
        <translation>中文、日文或韩文</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="268"/>
        <source>Picked from the text: {value} for most languages; {value2} for {scripts}.</source>
        <translation>根据文本自动选择：大多数语言用 {value}；{scripts}用 {value2}。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="284"/>
        <source>Offline: runs on this computer; the text never leaves it.</source>
        <translation>离线：在本机运行，文本不会离开本机。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="286"/>
        <source>⚠ This voice is not installed here. Pick another one.</source>
        <translation>⚠ 本机未安装此音色。请另选一个。</translation>
    </message>
</context>
<context>
    <name>VoicePreview</name>
    <message>
        <location filename="../show_preview.py" line="82"/>
        <source>Checking the speakers…</source>
        <translation>正在检查扬声器…</translation>
    </message>
    <message>
        <location filename="../show_preview.py" line="97"/>
        <location filename="../show_preview.py" line="103"/>
        <source>Voice preview</source>
        <translation>音色试听</translation>
    </message>
</context>
<context>
    <name>VoiceWords</name>
    <message>
        <location filename="../live_words.py" line="155"/>
        <source>{voice} could not reach its service: {why}.</source>
        <translation>{voice} 无法连接其服务：{why}。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../app.py" line="27"/>
        <location filename="../app.py" line="28"/>
        <location filename="../app.py" line="29"/>
        <source>Studio</source>
        <translation>Studio</translation>
    </message>
    <message>
        <location filename="../app.py" line="78"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../app.py" line="81"/>
        <source>About your settings:</source>
        <translation>关于你的设置：</translation>
    </message>
</context>
<context>
    <name>camera_view</name>
    <message>
        <location filename="../camera_view.py" line="39"/>
        <source>One face</source>
        <translation>一张人脸</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="40"/>
        <source>Centred</source>
        <translation>居中</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="41"/>
        <source>Big enough</source>
        <translation>足够大</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="42"/>
        <source>Facing the camera</source>
        <translation>面向摄像头</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="43"/>
        <source>Lighting</source>
        <translation>光线</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="44"/>
        <source>Sharp</source>
        <translation>清晰</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="46"/>
        <source>Waiting for a picture.</source>
        <translation>正在等待画面。</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="50"/>
        <source>One face found</source>
        <translation>找到一张人脸</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="51"/>
        <source>In the middle</source>
        <translation>位于中间</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="52"/>
        <source>Good size</source>
        <translation>大小合适</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="53"/>
        <source>Looking at the camera</source>
        <translation>正对摄像头</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="54"/>
        <source>Good light</source>
        <translation>光线良好</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="55"/>
        <source>In focus</source>
        <translation>对焦清晰</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="56"/>
        <source>Needs exactly one face</source>
        <translation>需要恰好一张人脸</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="57"/>
        <source>No face found</source>
        <translation>未找到人脸</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="58"/>
        <source>Off-centre</source>
        <translation>偏离中心</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="59"/>
        <source>Face cut off</source>
        <translation>人脸不完整</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="60"/>
        <source>Face too small</source>
        <translation>人脸太小</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="61"/>
        <source>Too close</source>
        <translation>太近</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="62"/>
        <source>Head tilted</source>
        <translation>头部倾斜</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="63"/>
        <source>Head turned</source>
        <translation>头部侧转</translation>
    </message>
    <message>
        <location filename="../camera_view.py" line="64"/>
        <source>Blurry</source>
        <translation>模糊</translation>
    </message>
</context>
<context>
    <name>capture_common</name>
    <message>
        <location filename="../capture_common.py" line="29"/>
        <source>No picture yet</source>
        <translation>还没有画面</translation>
    </message>
    <message>
        <location filename="../capture_common.py" line="43"/>
        <source>An avatar called &apos;{clean}&apos; already exists. Choose another name.</source>
        <translation>已有名为“{clean}”的数字人。请换一个名称。</translation>
    </message>
    <message>
        <location filename="../capture_common.py" line="50"/>
        <source>Step {step} of {STEPS} · {text}</source>
        <translation>第 {step} 步，共 {STEPS} 步 · {text}</translation>
    </message>
</context>
<context>
    <name>capture_consent</name>
    <message>
        <location filename="../capture_consent.py" line="36"/>
        <source>I am this person, or I have their written consent to create and use this AI twin of their face and voice for the purposes stated.</source>
        <translation>我就是本人，或我已获得本人的书面同意，可以为上述用途制作并使用其面容和声音的 AI 分身。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="42"/>
        <source>Read the statement aloud, then press Done reading.</source>
        <translation>请朗读声明，然后点击“读完了”。</translation>
    </message>
    <message>
        <location filename="../capture_consent.py" line="43"/>
        <source>Looking for a microphone…</source>
        <translation>正在查找麦克风…</translation>
    </message>
</context>
<context>
    <name>capture_files</name>
    <message>
        <location filename="../capture_files.py" line="27"/>
        <source>Items marked ✗ are advice: a better photo makes a better avatar.</source>
        <translation>标 ✗ 的项目只是建议：照片越好，数字人越好。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="31"/>
        <source>To continue: press Capture when every check is ticked.</source>
        <translation>继续前：所有检查项打勾后，点击“拍摄”。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="32"/>
        <source>To continue: use a photo or a video file instead (buttons above).</source>
        <translation>继续前：请改用照片或视频文件（上方按钮）。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="35"/>
        <source>To continue: choose a photo with one clear face.</source>
        <translation>继续前：请选择一张只有一张清晰人脸的照片。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="36"/>
        <source>To continue: pick the person to make the avatar of.</source>
        <translation>继续前：请选出要制作数字人的那个人。</translation>
    </message>
    <message>
        <location filename="../capture_files.py" line="37"/>
        <source>To continue: choose a video in which one face is clearly visible.</source>
        <translation>继续前：请选择一段能清楚看到一张人脸的视频。</translation>
    </message>
</context>
<context>
    <name>capture_source</name>
    <message>
        <location filename="../capture_source.py" line="31"/>
        <source>No camera found</source>
        <translation>未找到摄像头</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="34"/>
        <source>Take a picture</source>
        <translation>拍一张照片</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="35"/>
        <source>Face the camera in even light. When every check is ticked, press Capture.</source>
        <translation>在均匀的光线下面对摄像头。所有检查项打勾后，点击“拍摄”。</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="40"/>
        <source>Check the photo</source>
        <translation>检查照片</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="41"/>
        <source>A frontal, sharp, well-lit photo of one person makes the best avatar.</source>
        <translation>一张正面、清晰、光线良好的单人照片能做出最好的数字人。</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="46"/>
        <source>Pick a frame</source>
        <translation>选择一帧画面</translation>
    </message>
    <message>
        <location filename="../capture_source.py" line="47"/>
        <source>Studio picks the sharpest frame of the video in which every check passes.</source>
        <translation>Studio 会从视频中选出所有检查都通过的最清晰的一帧。</translation>
    </message>
</context>
<context>
    <name>capture_wizard</name>
    <message>
        <location filename="../capture_wizard.py" line="54"/>
        <source>a webcam capture</source>
        <translation>摄像头拍摄</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="55"/>
        <source>a photo</source>
        <translation>一张照片</translation>
    </message>
    <message>
        <location filename="../capture_wizard.py" line="56"/>
        <source>a frame of a video</source>
        <translation>视频中的一帧</translation>
    </message>
</context>
<context>
    <name>catalog_draft</name>
    <message>
        <location filename="../catalog_draft.py" line="131"/>
        <source>the catalogue</source>
        <translation>商品库</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="133"/>
        <source>catalogue {path}</source>
        <translation>商品库 {path}</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="134"/>
        <source>catalogue</source>
        <translation>商品库</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="223"/>
        <source>this catalogue also has texts in {languages}, which this page does not edit.</source>
        <translation>此商品库还包含 {languages} 的文本，本页面无法编辑这些文本。</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="227"/>
        <source>Edit that catalogue&apos;s file in a text editor, so those texts are kept.</source>
        <translation>请用文本编辑器编辑该商品库文件，以保留这些文本。</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="250"/>
        <source>the catalogue is not saved yet.</source>
        <translation>商品库尚未保存。</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="251"/>
        <source>Save it first, then try again.</source>
        <translation>请先保存，然后重试。</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="266"/>
        <source>{folder} already has a file named {name}.</source>
        <translation>{folder} 中已有名为 {name} 的文件。</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="269"/>
        <source>Rename the picture, or choose the one in the catalogue&apos;s folder.</source>
        <translation>请重命名图片，或选择商品库文件夹中的那张图片。</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="277"/>
        <source>could not copy {name} to {folder} ({why}).</source>
        <translation>无法将 {name} 复制到 {folder}（{why}）。</translation>
    </message>
    <message>
        <location filename="../catalog_draft.py" line="280"/>
        <source>Check that the folder is writable and the disk is not full.</source>
        <translation>请检查文件夹是否可写、磁盘是否已满。</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <location filename="../i18n_core.py" line="15"/>
        <source>Check that the folder is writable and the disk is not full, then try again.</source>
        <translation>请检查文件夹是否可写、磁盘是否已满，然后重试。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="16"/>
        <source>Check the folder&apos;s permissions and retry.</source>
        <translation>请检查文件夹权限后重试。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="17"/>
        <location filename="../show_file.py" line="36"/>
        <source>Write some text in a segment first.</source>
        <translation>请先在某个段落中写入文本。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="18"/>
        <source>Use a well-lit, frontal photo with one face that fills a good part of the frame.</source>
        <translation>请使用光线充足的正面照片，只有一张人脸，且人脸占画面较大部分。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="21"/>
        <source>Use a photo where the person faces the camera with the head level.</source>
        <translation>请使用人物正对镜头、头部端正的照片。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="22"/>
        <source>Use a smaller copy of the photo: a face needs far fewer pixels.</source>
        <translation>请使用照片的缩小版本：人脸不需要这么多像素。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="23"/>
        <source>Tick the box confirming that you are this person or have their written consent.</source>
        <translation>请勾选确认框，确认你就是本人或已获得其书面同意。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="26"/>
        <source>Unlock the keychain (or allow Studio to use it) and try again.</source>
        <translation>请解锁钥匙串（或允许 Studio 使用它），然后重试。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="27"/>
        <source>Use an even frame size and a standard frame rate.</source>
        <translation>请使用偶数的画面尺寸和标准帧率。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="28"/>
        <source>Update the NVIDIA driver.</source>
        <translation>请更新 NVIDIA 驱动程序。</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="32"/>
        <source>Preparing the first sentence…</source>
        <translation>正在准备第一句话…</translation>
    </message>
    <message>
        <location filename="../i18n_core.py" line="33"/>
        <source>Starting the outputs…</source>
        <translation>正在启动输出…</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <location filename="../dialogs.py" line="29"/>
        <source>Something went wrong inside Studio.</source>
        <translation>Studio 内部出错了。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="30"/>
        <source>Try again. If it happens again, copy the details below into a bug report.</source>
        <translation>请重试。如果再次出现，请把下方详情复制到错误报告中。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="91"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>file_dialogs</name>
    <message>
        <location filename="../file_dialogs.py" line="17"/>
        <source>Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff);;All files (*)</source>
        <translation>照片 (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../file_dialogs.py" line="20"/>
        <source>Videos (*.mp4 *.mov *.m4v *.mkv *.webm *.avi);;All files (*)</source>
        <translation>视频 (*.mp4 *.mov *.m4v *.mkv *.webm *.avi);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../file_dialogs.py" line="23"/>
        <source>Shows and scripts (*.toml *.txt);;Shows (*.toml);;Text scripts (*.txt);;All files (*)</source>
        <translation>节目和脚本 (*.toml *.txt);;节目 (*.toml);;文本脚本 (*.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>i18n</name>
    <message>
        <location filename="../i18n.py" line="29"/>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
</context>
<context>
    <name>library_page</name>
    <message>
        <location filename="../library_page.py" line="41"/>
        <source>✓ in use</source>
        <translation>✓ 使用中</translation>
    </message>
</context>
<context>
    <name>library_thumbs</name>
    <message>
        <location filename="../library_thumbs.py" line="31"/>
        <source>an image file</source>
        <translation>一个图片文件</translation>
    </message>
    <message>
        <location filename="../library_thumbs.py" line="120"/>
        <source>TWIN</source>
        <translation>分身</translation>
    </message>
    <message>
        <location filename="../library_thumbs.py" line="121"/>
        <source>PHOTO</source>
        <translation>照片</translation>
    </message>
</context>
<context>
    <name>library_words</name>
    <message>
        <location filename="../library_words.py" line="15"/>
        <source>a photo</source>
        <translation>一张照片</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="16"/>
        <source>a webcam capture</source>
        <translation>摄像头拍摄</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="17"/>
        <source>a video file</source>
        <translation>一个视频文件</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="20"/>
        <source>attested in Studio</source>
        <translation>在 Studio 中确认</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="21"/>
        <source>spoken statement recorded</source>
        <translation>已录下朗读的声明</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="22"/>
        <source>public-domain image</source>
        <translation>公有领域图片</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="24"/>
        <source>The built-in demo avatar: a public-domain NASA portrait, here so you can try everything before making your own twin. It cannot be renamed or deleted.</source>
        <translation>内置演示数字人：一张公有领域的 NASA 肖像，让你在制作自己的分身之前先试用所有功能。它不能被重命名或删除。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="40"/>
        <source>This package cannot be read: {source_note}
Delete it and create it again.</source>
        <translation>无法读取此数字人包：{source_note}
请删除后重新创建。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="46"/>
        <source>A video twin: its own face, lips and head motion.
</source>
        <translation>视频分身：使用其本人的面容、口型和头部动作。
</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="52"/>
        <source>Made from {source} on {day}, {width}×{height} px.</source>
        <translation>由{source}制作，{day}，{width}×{height} 像素。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="62"/>
        <source>Consent: {name} ({how}, {day}).</source>
        <translation>授权：{name}（{how}，{day}）。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="74"/>
        <source>renew it with the person&apos;s agreement (&apos;studio avatar consent &quot;{name}&quot; --renew&apos;)</source>
        <translation>请在本人同意后续期（“studio avatar consent &quot;{name}&quot; --renew”）</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="77"/>
        <source>this avatar cannot go on air until you</source>
        <translation>在你完成以下操作前，该数字人不能上播：</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="79"/>
        <source>⚠ Consent revoked on {revoked_at}: {off_air} {renew}.</source>
        <translation>⚠ 授权已于 {revoked_at} 撤销：{off_air}{renew}。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="87"/>
        <source>⚠ Consent expired on {day}: {off_air} {renew}.</source>
        <translation>⚠ 授权已于 {day} 过期：{off_air}{renew}。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="93"/>
        <source>⚠ Consent expires on {day}, in 1 day: {renew}.</source>
        <translation>⚠ 授权将于 {day} 到期，还剩 1 天：{renew}。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="95"/>
        <source>⚠ Consent expires on {day}, in {days} days: {renew}.</source>
        <translation>⚠ 授权将于 {day} 到期，还剩 {days} 天：{renew}。</translation>
    </message>
    <message>
        <location filename="../library_words.py" line="100"/>
        <source>Consent valid until {day}.</source>
        <translation>授权有效期至 {day}。</translation>
    </message>
</context>
<context>
    <name>live_interject</name>
    <message>
        <location filename="../live_interject.py" line="32"/>
        <source>Start the show on a script to say lines while live.</source>
        <translation>请以脚本驱动开始节目，才能在直播中插话。</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="33"/>
        <source>The microphone drives the avatar: just speak. Typed lines need a show on a script.</source>
        <translation>麦克风正在驱动数字人：直接说话即可。输入插话需要以脚本驱动节目。</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="36"/>
        <source>Enter: say it after the current sentence. Ctrl+Enter: interrupt and say it now.</source>
        <translation>Enter：在当前这句话之后说。Ctrl+Enter：打断并立刻说。</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="44"/>
        <source>not said</source>
        <translation>未说出</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="49"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="50"/>
        <source>now</source>
        <translation>立刻</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="51"/>
        <source>saying</source>
        <translation>正在说</translation>
    </message>
    <message>
        <location filename="../live_interject.py" line="52"/>
        <source>said</source>
        <translation>已说完</translation>
    </message>
</context>
<context>
    <name>live_layout</name>
    <message>
        <location filename="../live_layout.py" line="66"/>
        <source>Live</source>
        <translation>直播</translation>
    </message>
    <message>
        <location filename="../live_layout.py" line="69"/>
        <source>Watch the avatar talk, then send it to a virtual camera, a recording or a stream.</source>
        <translation>观看数字人讲话，然后输出到虚拟摄像头、录制文件或推流。</translation>
    </message>
</context>
<context>
    <name>live_notices</name>
    <message>
        <location filename="../live_notices.py" line="30"/>
        <source>The show goes on. This and later warnings stay in the strip below the preview.</source>
        <translation>节目继续进行。这条及之后的警告会保留在预览下方的状态栏中。</translation>
    </message>
    <message>
        <location filename="../live_notices.py" line="36"/>
        <source>virtual camera</source>
        <translation>虚拟摄像头</translation>
    </message>
    <message>
        <location filename="../live_notices.py" line="38"/>
        <source>audio device</source>
        <translation>音频设备</translation>
    </message>
</context>
<context>
    <name>live_outputs</name>
    <message>
        <location filename="../live_outputs.py" line="43"/>
        <source>Wait a moment: the show is starting or stopping, or an output is switching.</source>
        <translation>请稍候：节目正在开始或停止，或某个输出正在切换。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="46"/>
        <source>The show keeps time by its sound device: stop the show to change it.</source>
        <translation>节目以其声音设备计时：停止节目后才能更改。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="49"/>
        <source>Recording into this folder now: switch Record off to choose another for the next one.</source>
        <translation>正在录制到此文件夹：关闭“录制”后可为下一次选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="52"/>
        <source>Streaming to this address now: switch RTMP off to change it.</source>
        <translation>正在推流到此地址：关闭 RTMP 后才能修改。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="55"/>
        <source>No sound output was found on this computer, so the show runs without sound here. Plug in speakers or headphones, then press ↻.</source>
        <translation>本机没有找到声音输出，所以节目在这里没有声音。请插上音箱或耳机，然后点击 ↻。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="60"/>
        <source>Show the whole address, stream key included, to check it for typos. Hide it before sharing your screen.</source>
        <translation>显示完整地址（包括推流密钥），以检查是否有错字。共享屏幕前请先隐藏。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="64"/>
        <source>Hide the address again: it holds the stream key, and the screen may be shared.</source>
        <translation>重新隐藏地址：其中包含推流密钥，而屏幕可能正在共享。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="68"/>
        <source>Zoom, Meet, OBS and browsers see the show as a webcam (needs a virtual camera installed).</source>
        <translation>Zoom、Meet、OBS 和浏览器会把节目当作摄像头画面（需要已安装虚拟摄像头）。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="72"/>
        <source>Play the voice on a sound device, e.g. a virtual cable a meeting app takes as its microphone.</source>
        <translation>在某个声音设备上播放语音，例如会议软件当作麦克风使用的虚拟声卡。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="76"/>
        <source>Record the show to an MP4 file in this folder; each show gets its own file.</source>
        <translation>把节目录制为此文件夹中的 MP4 文件；每场节目一个文件。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="79"/>
        <source>Stream to YouTube, Twitch or any RTMP server. The stream key is kept hidden on screen.</source>
        <translation>推流到 YouTube、Twitch 或任意 RTMP 服务器。推流密钥在屏幕上保持隐藏。</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="99"/>
        <source>Paste the address your platform shows, e.g. rtmp://a.rtmp.youtube.com/live2/KEY</source>
        <translation>粘贴平台显示的推流地址，例如 rtmp://a.rtmp.youtube.com/live2/KEY</translation>
    </message>
    <message>
        <location filename="../live_outputs.py" line="105"/>
        <source>Streams to {masked}</source>
        <translation>推流到 {masked}</translation>
    </message>
</context>
<context>
    <name>live_panel</name>
    <message>
        <location filename="../live_panel.py" line="47"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="48"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../live_panel.py" line="49"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>live_plan</name>
    <message>
        <location filename="../live_plan.py" line="28"/>
        <source>The stream address must start with rtmp:// or rtmps://.</source>
        <translation>推流地址必须以 rtmp:// 或 rtmps:// 开头。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="63"/>
        <source>there is no show to run yet.</source>
        <translation>还没有可以运行的节目。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="64"/>
        <source>Write it on the Show page first.</source>
        <translation>请先在“节目”页面编写。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="70"/>
        <source>the show has nothing to say.</source>
        <translation>节目没有任何要说的内容。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="71"/>
        <source>Write a line on the Show page first.</source>
        <translation>请先在“节目”页面写一句台词。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="91"/>
        <source>The folder {folder} for recordings could not be made ({why}).</source>
        <translation>无法创建录制文件夹 {folder}（{why}）。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="94"/>
        <source>Choose another folder next to Record.</source>
        <translation>请在“录制”旁选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="105"/>
        <source>RTMP is on, but there is no stream address.</source>
        <translation>已开启 RTMP，但没有推流地址。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="106"/>
        <source>Paste the rtmp:// address and key your platform shows, or switch RTMP off.</source>
        <translation>请粘贴直播平台提供的 rtmp:// 地址和推流密钥，或关闭 RTMP。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="113"/>
        <source>Copy the whole address your platform shows, e.g. rtmp://a.rtmp.youtube.com/live2/KEY.</source>
        <translation>请复制直播平台提供的完整地址，例如 rtmp://a.rtmp.youtube.com/live2/KEY。</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="143"/>
        <source>Recorded {length} to {path}</source>
        <translation>已录制 {length}，保存到 {path}</translation>
    </message>
    <message>
        <location filename="../live_plan.py" line="150"/>
        <source>Session log: {path}</source>
        <translation>节目日志：{path}</translation>
    </message>
</context>
<context>
    <name>live_room</name>
    <message>
        <location filename="../live_room.py" line="36"/>
        <source>Start a show with a catalogue to take viewers&apos; questions.</source>
        <translation>使用商品库开始节目，才能接收观众提问。</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="39"/>
        <source>price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="40"/>
        <source>shipping</source>
        <translation>物流</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="41"/>
        <source>FAQ</source>
        <translation>常见问题</translation>
    </message>
    <message>
        <location filename="../live_room.py" line="42"/>
        <source>product facts</source>
        <translation>商品事实</translation>
    </message>
</context>
<context>
    <name>live_status</name>
    <message>
        <location filename="../live_status.py" line="45"/>
        <source>● PREVIEW</source>
        <translation>● 预览</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="47"/>
        <source>Only this window shows the show: nothing is recorded or sent out. Switch on the virtual camera, Record or RTMP before Start to go out.</source>
        <translation>只有此窗口显示节目：不录制也不对外发送。开始前打开虚拟摄像头、录制或 RTMP 才能对外输出。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="54"/>
        <source>● RECORDING</source>
        <translation>● 录制中</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="56"/>
        <source>The show is recorded to a file; nothing is sent out live.</source>
        <translation>节目正在录制到文件；没有对外直播。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="59"/>
        <source>● LIVE</source>
        <translation>● 直播中</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="61"/>
        <source>On air: the virtual camera or the stream sends the show out.</source>
        <translation>直播中：虚拟摄像头或推流正在对外播出节目。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="64"/>
        <source>● CONNECTING…</source>
        <translation>● 连接中…</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="66"/>
        <source>Not on air yet: the stream or the virtual camera is still connecting. Nobody sees the show yet.</source>
        <translation>尚未开播：推流或虚拟摄像头仍在连接中。观众暂时还看不到节目。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="72"/>
        <source>● RECONNECTING…</source>
        <translation>● 重新连接中…</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="74"/>
        <source>Off air: the stream dropped and Studio is connecting again. Nobody sees the show meanwhile.</source>
        <translation>已断播：推流中断，Studio 正在重新连接。在此期间观众看不到节目。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="84"/>
        <source>Pictures shown each second. Near the show&apos;s frame rate the motion is smooth; well below it looks jerky.</source>
        <translation>每秒显示的画面数。接近节目帧率时动作流畅；远低于帧率时会卡顿。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="88"/>
        <source>Frames that were not ready in time. Above 5% the picture stutters: close other apps or lower the video size in Settings.</source>
        <translation>未能及时准备好的帧。超过 5% 时画面会卡顿：请关闭其他应用，或在“设置”中降低视频尺寸。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="93"/>
        <source>How far the picture is from its sound (+ means the picture is late). Within ±45 ms nobody notices; beyond that the lips look out of step with the voice.</source>
        <translation>画面与声音相差多少（+ 表示画面滞后）。±45 毫秒以内几乎察觉不到；超出后嘴型会和声音对不上。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="98"/>
        <source>From your voice reaching the microphone to the mouth moving on screen.</source>
        <translation>从你的声音进入麦克风到屏幕上嘴巴动起来的时间。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="101"/>
        <source>From sending a typed line to the avatar starting to say it (the voice is made first).</source>
        <translation>从发送一句插话到数字人开始说出的时间（需要先合成语音）。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="104"/>
        <source>What moves the mouth: &apos;voice timing&apos; follows the sounds of the script&apos;s words as the voice says them; &apos;AI model&apos; listens to the voice, on the processor (CPU) or a graphics card (GPU).</source>
        <translation>驱动嘴型的方式：“语音时间轴”按音色读出脚本文字的发音来驱动；“AI 模型”则聆听语音，在处理器（CPU）或显卡（GPU）上运行。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="110"/>
        <source>The visible AI label drawn into every frame. Platforms may require it; change it in Settings.</source>
        <translation>绘制在每一帧上的可见 AI 标识。平台可能要求显示；可在“设置”中修改。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="114"/>
        <source>Click to read it in full.</source>
        <translation>点击查看完整内容。</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="132"/>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="133"/>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="140"/>
        <source>Preview only: nothing goes out</source>
        <translation>仅预览：不对外输出</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="154"/>
        <source>AI label: on ({replace})</source>
        <translation>AI 标识：开（{replace}）</translation>
    </message>
    <message>
        <location filename="../live_status.py" line="158"/>
        <source>AI label: OFF</source>
        <translation>AI 标识：关</translation>
    </message>
</context>
<context>
    <name>live_words</name>
    <message>
        <location filename="../live_words.py" line="27"/>
        <source>Virtual camera</source>
        <translation>虚拟摄像头</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="28"/>
        <source>Sound</source>
        <translation>声音</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="29"/>
        <source>Recording</source>
        <translation>录制</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="30"/>
        <source>Stream</source>
        <translation>推流</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="34"/>
        <source>top left</source>
        <translation>左上角</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="35"/>
        <source>top right</source>
        <translation>右上角</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="36"/>
        <source>bottom left</source>
        <translation>左下角</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="37"/>
        <source>bottom right</source>
        <translation>右下角</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="78"/>
        <source>Apple Neural Engine</source>
        <translation>Apple 神经网络引擎</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="90"/>
        <source>Lip sync: voice timing</source>
        <translation>口型同步：语音时间轴</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="95"/>
        <source>Lip sync: AI model on {where}</source>
        <translation>口型同步：AI 模型，运行于 {where}</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="97"/>
        <source>Lip sync: AI model</source>
        <translation>口型同步：AI 模型</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="99"/>
        <source>Lip sync: {what}</source>
        <translation>口型同步：{what}</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="115"/>
        <source>it did not answer in time</source>
        <translation>没有及时响应</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="117"/>
        <source>no network</source>
        <translation>无网络</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="169"/>
        <source>refused the connection</source>
        <translation>拒绝了连接</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="170"/>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="170"/>
        <location filename="../live_words.py" line="171"/>
        <source>did not answer</source>
        <translation>没有响应</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="171"/>
        <source>no answer</source>
        <translation>无响应</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="173"/>
        <source>name or service not known</source>
        <translation>名称或服务未知</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="174"/>
        <location filename="../live_words.py" line="178"/>
        <source>could not be found (check the address for a typo)</source>
        <translation>找不到（请检查地址是否有错字）</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="177"/>
        <source>nodename nor servname</source>
        <translation>节点名或服务名未知</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="181"/>
        <source>temporary failure in name resolution</source>
        <translation>域名解析暂时失败</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="182"/>
        <source>could not be looked up (is this computer online?)</source>
        <translation>无法解析地址（本机联网了吗？）</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="185"/>
        <source>network is unreachable</source>
        <translation>网络不可达</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="186"/>
        <location filename="../live_words.py" line="190"/>
        <source>could not be reached (is this computer online?)</source>
        <translation>无法连接（本机联网了吗？）</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="189"/>
        <source>no route to host</source>
        <translation>没有到达主机的路由</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="193"/>
        <location filename="../live_words.py" line="194"/>
        <source>closed the connection</source>
        <translation>关闭了连接</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="217"/>
        <source>could not be reached ({reason})</source>
        <translation>无法连接（{reason}）</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="219"/>
        <source>has not answered yet</source>
        <translation>尚未响应</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="222"/>
        <source>Not live yet: the stream server at {server} {said}.</source>
        <translation>尚未开播：位于 {server} 的推流服务器{said}。</translation>
    </message>
    <message>
        <location filename="../live_words.py" line="225"/>
        <source>Check the stream address and your network. Studio keeps trying every 30 s; press Stop to give up.</source>
        <translation>请检查推流地址和网络。Studio 每 30 秒重试一次；按“停止”可放弃。</translation>
    </message>
</context>
<context>
    <name>main_menus</name>
    <message>
        <location filename="../main_menus.py" line="19"/>
        <source>1. Avatars: make your twin with New from webcam (or from a photo or a video). The demo avatar is ready to try.
2. Show: write what it says, pick a voice and press Preview to hear it.
3. Live: press Start to watch it talk, then switch on the virtual camera, recording or RTMP.</source>
        <translation>1. 数字人：用“用摄像头新建”（或用照片、视频）制作你的分身。演示数字人可以直接试用。
2. 脚本：写下它要说的话，选择音色，点击“试听”听效果。
3. 直播：点击“开始”观看它讲话，然后打开虚拟摄像头、录制或 RTMP 推流。</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="26"/>
        <source>Studio {version}

A digital twin of a real, consenting creator that can host a live stream. Everything runs on this computer; only online voices send text to a service. Every frame carries a visible AI-generated label and every file an AI-generated metadata tag.</source>
        <translation>Studio {version}

一位真实且同意授权的创作者的数字分身，可以主持直播。一切都在本机运行；只有在线音色会把文本发送到服务端。每一帧都带有可见的 AI 生成标识，每个文件都带有 AI 生成元数据标签。</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="74"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="79"/>
        <source>New avatar from webcam…</source>
        <translation>用摄像头新建数字人…</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="83"/>
        <source>New avatar from photo…</source>
        <translation>用照片新建数字人…</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="86"/>
        <source>New avatar from video…</source>
        <translation>用视频新建数字人…</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="90"/>
        <source>New twin from webcam…</source>
        <translation>用摄像头新建分身…</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="96"/>
        <source>New twin from video…</source>
        <translation>用视频新建分身…</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="110"/>
        <source>New show</source>
        <translation>新建节目</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="117"/>
        <source>Import show…</source>
        <translation>导入节目…</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="123"/>
        <source>Save show as…</source>
        <translation>节目另存为…</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="132"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="134"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="139"/>
        <location filename="../main_menus.py" line="142"/>
        <source>Getting started</source>
        <translation>快速入门</translation>
    </message>
    <message>
        <location filename="../main_menus.py" line="148"/>
        <location filename="../main_menus.py" line="150"/>
        <source>About Studio</source>
        <translation>关于 Studio</translation>
    </message>
</context>
<context>
    <name>main_window</name>
    <message>
        <location filename="../main_window.py" line="48"/>
        <source>1   Avatars</source>
        <translation>1   数字人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="49"/>
        <source>2   Show</source>
        <translation>2   脚本</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="50"/>
        <source>3   Live</source>
        <translation>3   直播</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="51"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="54"/>
        <source>Create your twin from a webcam, a photo or a video</source>
        <translation>用摄像头、照片或视频制作你的分身</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="55"/>
        <source>Write what the avatar says: product scripts, voices, repeats</source>
        <translation>写下数字人要说的话：商品话术、音色、重复</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="56"/>
        <source>Preview the avatar talking and go live to a virtual camera, a recording or RTMP</source>
        <translation>预览数字人讲话，并通过虚拟摄像头、录制或 RTMP 开播</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="59"/>
        <source>Devices, video size, the AI label</source>
        <translation>设备、视频尺寸、AI 标识</translation>
    </message>
</context>
<context>
    <name>settings_page</name>
    <message>
        <location filename="../settings_page.py" line="38"/>
        <source>1280×720 (landscape, HD)</source>
        <translation>1280×720（横屏，高清）</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="39"/>
        <source>1920×1080 (landscape, Full HD)</source>
        <translation>1920×1080（横屏，全高清）</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="40"/>
        <source>960×540 (landscape, light)</source>
        <translation>960×540（横屏，轻量）</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="41"/>
        <source>720×1280 (portrait, phones: Douyin, TikTok)</source>
        <translation>720×1280（竖屏，手机：抖音、TikTok）</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="42"/>
        <source>1080×1920 (portrait, Full HD)</source>
        <translation>1080×1920（竖屏，全高清）</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="46"/>
        <source>Automatic (GPU when there is one)</source>
        <translation>自动（有 GPU 时使用 GPU）</translation>
    </message>
    <message>
        <location filename="../settings_page.py" line="48"/>
        <source>NVIDIA CUDA</source>
        <translation>NVIDIA CUDA</translation>
    </message>
</context>
<context>
    <name>show_claims</name>
    <message>
        <location filename="../show_claims.py" line="99"/>
        <source>{name}: {id} {message}: “{text}”. Rephrase it ({suggestion}), or right-click the underlined words to let them through with a reason.</source>
        <translation>{name}：{id} {message}：“{text}”。请改写（{suggestion}），或右键点击带下划线的文字，填写理由后放行。</translation>
    </message>
    <message>
        <location filename="../show_claims.py" line="127"/>
        <source>{segment} says “{text}”: {rule} {message}, so the show cannot be saved.</source>
        <translation>{segment} 中的“{text}”：{rule} {message}，因此无法保存节目。</translation>
    </message>
    <message>
        <location filename="../show_claims.py" line="136"/>
        <source>Rephrase it ({suggestion}), or right-click the underlined words to let them through with a reason.</source>
        <translation>请改写（{suggestion}），或右键单击带下划线的词语，填写理由后放行。</translation>
    </message>
</context>
<context>
    <name>show_file</name>
    <message>
        <location filename="../show_file.py" line="18"/>
        <source>Saved automatically as you edit</source>
        <translation>编辑时自动保存</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="19"/>
        <source>Start a new, empty show?

The show on this page ({count}) is replaced, and the autosave with it. To keep a copy, choose Cancel and then Save show as…</source>
        <translation>新建一个空节目？

此页上的节目（{count}）以及它的自动保存都会被替换。如需保留副本，请点击“取消”，然后选择“节目另存为…”</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="33"/>
        <source>the show has nothing to say yet, so there is nothing to save.</source>
        <translation>节目还没有任何内容，因此没有可保存的东西。</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="44"/>
        <source>could not write {path} ({value}).</source>
        <translation>无法写入 {path}（{value}）。</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="47"/>
        <source>Choose a folder you can write to.</source>
        <translation>请选择一个有写入权限的文件夹。</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="55"/>
        <source>1 segment</source>
        <translation>1 个段落</translation>
    </message>
    <message>
        <location filename="../show_file.py" line="56"/>
        <source>{count} segments</source>
        <translation>{count} 个段落</translation>
    </message>
</context>
<context>
    <name>show_form</name>
    <message>
        <location filename="../show_form.py" line="38"/>
        <source>Segment</source>
        <translation>段落</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="39"/>
        <source>Voice</source>
        <translation>音色</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="40"/>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="41"/>
        <source>Pause</source>
        <translation>停顿</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="42"/>
        <source>Length</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../show_form.py" line="44"/>
        <source>English (US) · Joe</source>
        <translation>英语（美国）· Joe</translation>
    </message>
</context>
<context>
    <name>show_preview</name>
    <message>
        <location filename="../show_preview.py" line="26"/>
        <source>the voice preview</source>
        <translation>音色试听</translation>
    </message>
</context>
<context>
    <name>show_segments</name>
    <message>
        <location filename="../show_segments.py" line="23"/>
        <source>an estimate at about 150 words or 270 Chinese characters a minute</source>
        <translation>按每分钟约 150 个英文单词或 270 个汉字估算</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="56"/>
        <source>Segment {number} (empty)</source>
        <translation>第 {number} 段（空）</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="64"/>
        <source>Segment {number} “{title}”</source>
        <translation>第 {number} 段“{title}”</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="68"/>
        <source>Segment {number}</source>
        <translation>第 {number} 段</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="85"/>
        <source>The show has nothing to say yet: write some text in a segment, or import a show.</source>
        <translation>节目还没有要说的内容：请在某个段落中写入文本，或导入一个节目。</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="94"/>
        <source>{segment} has no text, so it is left out: write some, or remove it.</source>
        <translation>{segment}没有文本，所以会被跳过：请写入内容，或将其删除。</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="103"/>
        <source>the voice &apos;{voice_id}&apos;</source>
        <translation>音色“{voice_id}”</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="107"/>
        <source>{named} uses {voice}, which is not installed here: pick another voice.</source>
        <translation>{named}使用的{voice}未安装在本机：请另选音色。</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="115"/>
        <source>its voice, {label},</source>
        <translation>它的音色 {label}</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="117"/>
        <source>the default voice, {label},</source>
        <translation>默认音色 {label}</translation>
    </message>
    <message>
        <location filename="../show_segments.py" line="122"/>
        <source>{named} is in {script}, which {voice} cannot read: pick one that can.</source>
        <translation>{named}是{script}，{voice}读不了：请选择能读的音色。</translation>
    </message>
</context>
<context>
    <name>show_voice_check</name>
    <message>
        <location filename="../show_voice_check.py" line="45"/>
        <source>the default voice for it, {voice},</source>
        <translation>它的默认音色 {voice}</translation>
    </message>
    <message>
        <location filename="../show_voice_check.py" line="56"/>
        <source>{WARNING_MARK} Not installed here, so this segment would be silent: use an installed voice.</source>
        <translation>{WARNING_MARK} 本机未安装，此段会没有声音：请使用已安装的音色。</translation>
    </message>
    <message>
        <location filename="../show_voice_check.py" line="61"/>
        <source>{WARNING_MARK} This text is in {script}, which {named} cannot read.</source>
        <translation>{WARNING_MARK} 这段文本是{script}，{named}读不了。</translation>
    </message>
    <message>
        <location filename="../show_voice_check.py" line="69"/>
        <source>an offline voice</source>
        <translation>一个离线音色</translation>
    </message>
    <message>
        <location filename="../show_voice_check.py" line="71"/>
        <source>{ONLINE_MARK} Needs the internet during the show; else {instead} speaks.</source>
        <translation>{ONLINE_MARK} 节目进行时需要联网；否则改由 {instead} 朗读。</translation>
    </message>
</context>
<context>
    <name>show_voice_names</name>
    <message>
        <location filename="../show_voice_names.py" line="24"/>
        <source>Natural, offline (Kokoro, Piper)</source>
        <translation>自然音色，离线（Kokoro、Piper）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="25"/>
        <source>Online (sends text to Microsoft)</source>
        <translation>在线音色（文本会发送给微软）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="26"/>
        <source>Basic, offline (eSpeak, robotic)</source>
        <translation>基础音色，离线（eSpeak，机械音）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="34"/>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="35"/>
        <location filename="../show_voice_names.py" line="36"/>
        <source>English (US)</source>
        <translation>英语（美国）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="37"/>
        <location filename="../show_voice_names.py" line="38"/>
        <location filename="../show_voice_names.py" line="39"/>
        <location filename="../show_voice_names.py" line="40"/>
        <location filename="../show_voice_names.py" line="41"/>
        <source>English (UK)</source>
        <translation>英语（英国）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="42"/>
        <source>English (Caribbean)</source>
        <translation>英语（加勒比）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="43"/>
        <location filename="../show_voice_names.py" line="44"/>
        <location filename="../show_voice_names.py" line="45"/>
        <location filename="../show_voice_names.py" line="46"/>
        <location filename="../show_voice_names.py" line="47"/>
        <source>Chinese (Mandarin)</source>
        <translation>中文（普通话）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="48"/>
        <source>Chinese (Mandarin, Taiwan)</source>
        <translation>中文（普通话，台湾）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="49"/>
        <location filename="../show_voice_names.py" line="50"/>
        <location filename="../show_voice_names.py" line="51"/>
        <source>Chinese (Cantonese)</source>
        <translation>中文（粤语）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="52"/>
        <source>Chinese (Hakka)</source>
        <translation>中文（客家话）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="53"/>
        <location filename="../show_voice_names.py" line="54"/>
        <source>Spanish (Spain)</source>
        <translation>西班牙语（西班牙）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="55"/>
        <source>Spanish (Mexico)</source>
        <translation>西班牙语（墨西哥）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="56"/>
        <source>Spanish (Latin America)</source>
        <translation>西班牙语（拉丁美洲）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="57"/>
        <location filename="../show_voice_names.py" line="58"/>
        <source>French (France)</source>
        <translation>法语（法国）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="59"/>
        <source>French (Belgium)</source>
        <translation>法语（比利时）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="60"/>
        <source>French (Switzerland)</source>
        <translation>法语（瑞士）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="61"/>
        <location filename="../show_voice_names.py" line="62"/>
        <source>Portuguese (Portugal)</source>
        <translation>葡萄牙语（葡萄牙）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="63"/>
        <source>Portuguese (Brazil)</source>
        <translation>葡萄牙语（巴西）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="64"/>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="65"/>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="66"/>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="67"/>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="68"/>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="69"/>
        <source>Hindi</source>
        <translation>印地语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="70"/>
        <source>Arabic</source>
        <translation>阿拉伯语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="71"/>
        <source>Arabic (Saudi Arabia)</source>
        <translation>阿拉伯语（沙特阿拉伯）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="72"/>
        <location filename="../show_voice_names.py" line="73"/>
        <location filename="../show_voice_names.py" line="74"/>
        <source>Vietnamese</source>
        <translation>越南语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="75"/>
        <location filename="../show_voice_names.py" line="76"/>
        <source>Persian</source>
        <translation>波斯语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="77"/>
        <source>Armenian (Eastern)</source>
        <translation>亚美尼亚语（东部）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="78"/>
        <source>Armenian (Western)</source>
        <translation>亚美尼亚语（西部）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="79"/>
        <source>Burmese</source>
        <translation>缅甸语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="80"/>
        <source>Cherokee</source>
        <translation>切罗基语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="81"/>
        <source>Belter</source>
        <translation>贝尔特语</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="87"/>
        <source>New York City accent</source>
        <translation>纽约口音</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="88"/>
        <source>Scottish accent</source>
        <translation>苏格兰口音</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="89"/>
        <source>Lancashire accent</source>
        <translation>兰开夏口音</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="90"/>
        <source>West Midlands accent</source>
        <translation>西米德兰兹口音</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="91"/>
        <source>Received Pronunciation</source>
        <translation>标准英音</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="92"/>
        <source>reads Latin letters as Pinyin</source>
        <translation>把拉丁字母读作拼音</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="93"/>
        <source>Northern</source>
        <translation>北部</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="94"/>
        <source>Central</source>
        <translation>中部</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="95"/>
        <source>Southern</source>
        <translation>南部</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="96"/>
        <source>Latin script (Pinglish)</source>
        <translation>拉丁字母（Pinglish）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="144"/>
        <source>{voice_label} (basic, offline)</source>
        <translation>{voice_label}（基础，离线）</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="212"/>
        <location filename="../show_voice_names.py" line="223"/>
        <source>this computer seems to be offline</source>
        <translation>本机似乎没有联网</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="214"/>
        <source>it did not answer in time</source>
        <translation>没有及时响应</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="220"/>
        <source>the service turned the request down; it may be busy</source>
        <translation>服务拒绝了请求；它可能正忙</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="236"/>
        <source>{voice_name} (online) could not reach Microsoft&apos;s voice service: {reason}.</source>
        <translation>{voice_name}（在线）无法连接微软语音服务：{reason}。</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="241"/>
        <source>Choose an offline voice such as {voice_description} and try again.</source>
        <translation>请选择一个离线音色，例如 {voice_description}，然后重试。</translation>
    </message>
    <message>
        <location filename="../show_voice_names.py" line="245"/>
        <source>Check the internet connection, or choose an offline voice, and try again.</source>
        <translation>请检查网络连接，或选择一个离线音色，然后重试。</translation>
    </message>
</context>
<context>
    <name>show_voices</name>
    <message>
        <location filename="../show_voices.py" line="38"/>
        <source>{mark} Online: sends the text to Microsoft&apos;s service</source>
        <translation>{mark} 在线：文本会发送到微软的服务</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="39"/>
        <source>Default voice (fits the text&apos;s language)</source>
        <translation>默认音色（适合文本的语言）</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="40"/>
        <source>Filter: language, name or code (e.g. english, zh, Aria)</source>
        <translation>筛选：语言、名称或代码（例如 中文、普通话）</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="44"/>
        <source>Natural-sounding and offline: runs on this computer; the text never leaves it.</source>
        <translation>自然音色，离线：在本机运行，文本不会离开本机。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="47"/>
        <source>{mark} Online: sends the text to Microsoft&apos;s service and needs the internet while the show runs.</source>
        <translation>{mark} 在线：文本会发送到微软的服务，节目进行时需要联网。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="51"/>
        <source>Basic, robotic-sounding and offline: runs on this computer; the text never leaves it.</source>
        <translation>基础音色，机械音，离线：在本机运行，文本不会离开本机。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="55"/>
        <source>The voice for this segment. Natural voices run on this computer; online ones ({mark}) send the text to Microsoft; basic ones (eSpeak) sound robotic.</source>
        <translation>本段所用的音色。自然音色在本机运行；在线音色（{mark}）会把文本发送给微软；基础音色（eSpeak）听起来较机械。</translation>
    </message>
    <message>
        <location filename="../show_voices.py" line="62"/>
        <source>Trained on research-only data (lessac): not for a paid product.</source>
        <translation>使用仅限研究用途的数据训练（lessac）：不可用于付费产品。</translation>
    </message>
</context>
<context>
    <name>twin_build</name>
    <message>
        <location filename="../twin_build.py" line="49"/>
        <source>Something went wrong inside Studio; the twin was not created.</source>
        <translation>Studio 内部出错，分身未创建。</translation>
    </message>
</context>
<context>
    <name>twin_hover</name>
    <message>
        <location filename="../twin_hover.py" line="39"/>
        <source>the idle preview</source>
        <translation>空闲预览</translation>
    </message>
</context>
<context>
    <name>twin_script</name>
    <message>
        <location filename="../twin_script.py" line="28"/>
        <source>closed</source>
        <translation>闭嘴</translation>
    </message>
    <message>
        <location filename="../twin_script.py" line="41"/>
        <source>Breathe, blink, keep your mouth closed and look at the camera.</source>
        <translation>请呼吸、眨眼，闭上嘴并看着摄像头。</translation>
    </message>
</context>
<context>
    <name>twin_video</name>
    <message>
        <location filename="../twin_video.py" line="31"/>
        <source>with sound</source>
        <translation>有声音</translation>
    </message>
    <message>
        <location filename="../twin_video.py" line="33"/>
        <source>no sound</source>
        <translation>无声音</translation>
    </message>
</context>
</TS>
