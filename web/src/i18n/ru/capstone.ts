// Russian for the keys the forum set-up test's fixes added (issue 13, item 8); merged by glob.
const ru: Record<string, string> = {
  'invitation.operator': 'Оператор платформы',
  'hotline.bySystem': 'система',
  'hotline.life.sentToKind': 'кому: {states}, {kind}',
  'hotline.life.onStream': 'показано в консоли',
  'hotline.life.readApi': 'прочитано через API',
  'hotline.life.reply': 'ответ {id}',
};
export default ru;
