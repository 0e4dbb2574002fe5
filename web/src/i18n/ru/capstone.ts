// Russian for the keys the forum set-up test's fixes added (issue 13, item 8); merged by glob.
const ru: Record<string, string> = {
  'invitation.operator': 'Оператор платформы',
};
export default ru;
