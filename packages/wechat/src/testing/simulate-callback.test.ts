import { describe, expect, it } from 'vitest';
import { SAMPLE_APP, SAMPLE_OPENID, sampleCredentials, sampleMessage } from './sample-messages.js';
import { serializeFields, simulateCallback, simulateUrlVerification } from './simulate-callback.js';

// The fixture has its own sha1/AES code; here it is pinned to WeChat's published example.
const DOC_APP = { token: 'AAAAA', aesKey: Buffer.alloc(32), appId: 'wxba5fad812f8e6fb9' };
const DEBUG_DEMO = {
  ToUserName: 'gh_97417a04a28d',
  FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
  CreateTime: '1714112445',
  MsgType: 'event',
  Event: 'debug_demo',
  debug_str: 'hello world',
};

describe('simulateCallback', () => {
  it('reproduces the official safe-mode JSON push exactly', () => {
    const callback = simulateCallback({
      app: DOC_APP,
      message: DEBUG_DEMO,
      format: 'json',
      mode: 'safe',
      timestamp: '1714112445',
      nonce: '415670741',
      random: Buffer.from('a8eedb185eb2fecf', 'latin1'),
    });
    expect(JSON.parse(callback.body)).toEqual({
      ToUserName: 'gh_97417a04a28d',
      Encrypt:
        '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=',
    });
    expect(callback.query).toEqual({
      signature: '6c5c811b55cc85e0e1b54100749188c20beb3f5d',
      timestamp: '1714112445',
      nonce: '415670741',
      openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
      encrypt_type: 'aes',
      msg_signature: '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3',
    });
    expect(callback.contentType).toBe('application/json');
  });

  it('reproduces the official plaintext-mode query', () => {
    const callback = simulateCallback({ app: DOC_APP, message: DEBUG_DEMO, format: 'json', mode: 'plaintext', timestamp: '1714037059', nonce: '486452656' });
    expect(callback.query).toEqual({ signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78', timestamp: '1714037059', nonce: '486452656' });
  });

  it('writes compatible mode as every plaintext field plus Encrypt', () => {
    const callback = simulateCallback({ app: sampleCredentials(), message: 'text', format: 'xml', mode: 'compatible' });
    expect(callback.body).toMatch(/^<xml><ToUserName><!\[CDATA\[gh_8f2d3c4b5a6e\]\]><\/ToUserName>.*<MsgId>22223624286040849<\/MsgId><Encrypt><!\[CDATA\[[A-Za-z0-9+/=]+\]\]><\/Encrypt><\/xml>$/);
    expect(callback.query.openid).toBe(SAMPLE_OPENID);
    expect(callback.contentType).toBe('text/xml');
  });

  it('writes ids and CreateTime as bare numbers in JSON, other values as strings', () => {
    expect(serializeFields(sampleMessage('text'), 'json')).toBe(
      `{"ToUserName":"gh_8f2d3c4b5a6e","FromUserName":"${SAMPLE_OPENID}","CreateTime":1714112445,"MsgType":"text","Content":"hello","MsgId":22223624286040849}`,
    );
    expect(serializeFields({ List: [{ MsgID: '1' }, { MsgID: '2' }], Content: '007' }, 'xml')).toBe(
      '<xml><List><MsgID>1</MsgID></List><List><MsgID>2</MsgID></List><Content><![CDATA[007]]></Content></xml>',
    );
  });

  it('exposes a key that decodes to the credentials it hands out', () => {
    expect(Buffer.from(`${SAMPLE_APP.encodingAesKey}=`, 'base64')).toEqual(sampleCredentials().aesKey);
    expect(sampleCredentials().aesKey).toHaveLength(32);
  });
});

describe('simulateUrlVerification', () => {
  it('reproduces the official GET example', () => {
    expect(simulateUrlVerification({ token: 'AAAAA' }).query).toEqual({
      signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696',
      timestamp: '1714036504',
      nonce: '1514711492',
      echostr: '4375120948345356249',
    });
  });
});
