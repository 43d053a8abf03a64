// Which environment keys init treats as secrets: their values never enter a plan,
// only their names (the plan and the text hints both ask).

const SECRET_KEY = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;
const NOT_SECRET = /(_FILE|_PATH|_DIR|_URL|_NAME)$/i;

export const isSecretKey = (k: string): boolean => SECRET_KEY.test(k) && !NOT_SECRET.test(k);
