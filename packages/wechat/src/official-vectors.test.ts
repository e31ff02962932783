// Published vectors, reproduced through the public API. Sources:
//  - WeChat Mini Program doc "消息推送" (developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html)
//  - WeChat Open Platform doc, third-party "消息推送" example (XML, safe mode, receiveid = platform appid)
//  - Senparc.Weixin MessageHandlers test EcryptMessageRequestTest (compatible-mode XML capture)
//  - wechatpy tests/test_crypto.py (WeCom), PowerWeChat src/kernel/Encryptor_test.go (WeCom)
//  - WxJava weixin-java-common WxCryptUtilTest
import { describe, expect, it } from 'vitest';
import { parseEncodingAesKey } from './aes-key.js';
import { decryptMessage, encryptMessage } from './message-crypto.js';
import { normalizeMessage } from './normalize-message.js';
import { openCallback } from './open-callback.js';
import { sealReply } from './seal-reply.js';
import { computeSignature, verifyMsgSignature } from './signature.js';

const DOC_APP = { token: 'AAAAA', aesKey: parseEncodingAesKey('A'.repeat(43)), appId: 'wxba5fad812f8e6fb9' };

describe('Mini Program message-push doc, JSON', () => {
  const encrypt =
    '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=';
  const message =
    '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}';

  it('opens the safe-mode example (224-byte ciphertext, pad 19, msg_len 167)', () => {
    const body = `{\n    "ToUserName": "gh_97417a04a28d",\n    "Encrypt": "${encrypt}"\n}`;
    const query = {
      signature: '6c5c811b55cc85e0e1b54100749188c20beb3f5d',
      timestamp: '1714112445',
      nonce: '415670741',
      openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
      encrypt_type: 'aes',
      msg_signature: '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3',
    };
    const opened = openCallback({ body, query, app: DOC_APP });
    expect(opened).toEqual({
      format: 'json',
      mode: 'safe',
      encrypt,
      fields: {
        ToUserName: 'gh_97417a04a28d',
        FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
        CreateTime: '1714112445',
        MsgType: 'event',
        Event: 'debug_demo',
        debug_str: 'hello world',
      },
    });
    expect(Buffer.byteLength(decryptMessage({ ...DOC_APP, encrypt }))).toBe(167);
    expect(normalizeMessage(opened.fields)).toMatchObject({ kind: 'event', event: 'debug_demo' });
  });

  it('re-encrypts the example byte for byte from its published random', () => {
    expect(encryptMessage({ ...DOC_APP, message, random: Buffer.from('a8eedb185eb2fecf', 'latin1') })).toBe(encrypt);
  });

  it('opens the plaintext-mode example', () => {
    const body =
      '{\n    "ToUserName": "gh_97417a04a28d",\n    "FromUserName": "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",\n    "CreateTime": 1714037059,\n    "MsgType": "event",\n    "Event": "debug_demo",\n    "debug_str": "hello world"\n}';
    const query = { signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78', timestamp: '1714037059', nonce: '486452656' };
    expect(openCallback({ body, query, app: DOC_APP })).toMatchObject({ mode: 'plaintext', fields: { debug_str: 'hello world' } });
  });

  it('seals the official JSON reply exactly (random 707722b803182950, MsgSignature 1b93...)', () => {
    const reply = sealReply({
      app: DOC_APP,
      format: 'json',
      reply: '{"demo_resp":"good luck"}',
      nonce: '415670741',
      timestamp: '1713424427',
      random: Buffer.from('707722b803182950', 'latin1'),
    });
    expect(reply).toBe(
      '{"Encrypt":"ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==","MsgSignature":"1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1","TimeStamp":1713424427,"Nonce":"415670741"}',
    );
  });
});

describe('Open Platform third-party doc, XML (pad 22 > 16)', () => {
  const app = { ...DOC_APP, appId: 'wx134c8103faa5a59e' };

  it('opens the safe-mode XML example', () => {
    const encrypt =
      'D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg==';
    const body = `<xml>\n    <ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n    <Encrypt><![CDATA[${encrypt}]]></Encrypt>\n</xml>`;
    const query = {
      signature: 'cc0c594499c1634947d5b502f158ee518947db27',
      timestamp: '1715943329',
      nonce: '1590219412',
      openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
      encrypt_type: 'aes',
      msg_signature: '6c12a4205838198b8fa631b3220723bb07f1015c',
    };
    const opened = openCallback({ body, query, app });
    expect(opened).toMatchObject({ format: 'xml', mode: 'safe' });
    expect(opened.fields).toEqual({
      ToUserName: 'gh_97417a04a28d',
      FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
      CreateTime: '1715943329',
      MsgType: 'event',
      Event: 'debug_demo',
      debug_str: 'hello world',
    });
  });

  it('seals the XML reply example (MsgSignature 03e0...)', () => {
    const reply = sealReply({
      app,
      format: 'xml',
      reply: '<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>',
      nonce: '415670741',
      timestamp: '1713424427',
      random: Buffer.from('999951349e8ee746', 'latin1'),
    });
    expect(reply).toBe(
      '<xml><Encrypt><![CDATA[hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7]]></Encrypt>' +
        '<MsgSignature><![CDATA[03e0812039325c2712ef5f0f980fd14c70d6e307]]></MsgSignature><TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>',
    );
  });
});

describe('Senparc compatible-mode XML capture (nonce shorter than timestamp)', () => {
  const app = { token: 'weixin', aesKey: parseEncodingAesKey('mNnY5GekpChwqhy2c4NBH90g3hND6GeI4gii2YCvKLY'), appId: 'wx669ef95216eef885' };
  const encrypt =
    '2gUBUpAeuPFKBS+gkcvrR1cBq1VjTOQluB7+FQF00VnybRpYR3xko4S4wh0qD+64cWmJfF93ZNLm+HLZBexjHLAdJBs5RBG2rP1AJnU0/1vQU/Ac9Q1Nq7vfC4l3ciF8YwhQW0o/GE4MYWWakgdwnp0hQ7aVVwqMLd67A5bsURQHJiFY/cH0fVlsKe6J3aazGhRXFCxceOq2VTJ2Eulc8aBDVSM5/lAIUA/JPq5Z2RzomM0+aoa5XIfGyAtAdlBXD0ADTemxgfYAKI5EMfKtH5za3dKV2UWbGAlJQZ0fwrwPx6Rs8MsoEtyxeQ52gO94gafA+/kIVjamKTVLSgudLLz5rAdGneKkBVhXyfyfousm1DoDRjQdAdqMWpwbeG5hanoJyJiH+humW/1q8PAAiaEfA+BOuvBk/a5xL0Q2l2k=';
  const body = `<xml>
    <ToUserName><![CDATA[gh_a96a4a619366]]></ToUserName>
    <FromUserName><![CDATA[olPjZjsXuQPJoV0HlruZkNzKc91E]]></FromUserName>
    <CreateTime>1414387151</CreateTime>
    <MsgType><![CDATA[text]]></MsgType>
    <Content><![CDATA[你好]]></Content>
    <MsgId>6074746557628292943</MsgId>
    <Encrypt><![CDATA[${encrypt}]]></Encrypt>
</xml>`;
  const query = {
    signature: 'e3203b6433eb554dd2fcba78fa48cb948fcb4801',
    timestamp: '1414387151',
    nonce: '917222494',
    encrypt_type: 'aes',
    msg_signature: 'ae70d4e343d946fc0477a5c760b95be0947fddbb',
  };

  it('opens it as compatible mode from the decrypted copy', () => {
    const opened = openCallback({ body, query, app });
    expect(opened.mode).toBe('compatible');
    expect(normalizeMessage(opened.fields)).toMatchObject({
      kind: 'text',
      content: '你好',
      msgId: '6074746557628292943',
      fromUserName: 'olPjZjsXuQPJoV0HlruZkNzKc91E',
    });
  });

  it('opens the same Encrypt in a safe-mode envelope as safe mode', () => {
    const safeBody = `<xml><ToUserName><![CDATA[gh_a96a4a619366]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    expect(openCallback({ body: safeBody, query, app }).mode).toBe('safe');
  });
});

describe('peer SDK vectors (WeCom-style receiveid tails)', () => {
  it('wechatpy: echostr signature and decryption', () => {
    const aesKey = parseEncodingAesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR');
    const encrypt = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
    expect(
      verifyMsgSignature({ token: '123456', timestamp: '1411443780', nonce: '437374425', encrypt, msgSignature: 'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96' }),
    ).toBe(true);
    expect(decryptMessage({ aesKey, appId: 'wx49f0ab532d5d035a', encrypt })).toBe('5927782489442352469');
  });

  it('wechatpy: encrypted reply byte for byte', () => {
    const app = { token: '123456', aesKey: parseEncodingAesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'), appId: 'wx49f0ab532d5d035a' };
    const reply =
      '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
    const sealed = sealReply({ app, format: 'xml', reply, nonce: '461056294', timestamp: '1411525903', random: Buffer.from('1234567890123456', 'latin1') });
    expect(sealed).toContain(
      '<Encrypt><![CDATA[9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3]]></Encrypt>',
    );
    expect(sealed).toContain('<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>');
  });

  it('wechatpy: decrypts the WeCom text message (MsgId 4363689963896700987)', () => {
    const aesKey = parseEncodingAesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR');
    const encrypt =
      'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';
    expect(computeSignature(['123456', '1411525903', '461056294', encrypt])).toBe('74d92dfeb87ba7c714f89d98870ae5eb62dff26d');
    const xml = decryptMessage({ aesKey, appId: 'wx49f0ab532d5d035a', encrypt });
    expect(xml).toContain('<Content><![CDATA[test]]></Content>');
    expect(xml).toContain('<MsgId>4363689963896700987</MsgId>');
  });

  it('PowerWeChat: URL verification echostr', () => {
    const aesKey = parseEncodingAesKey('CyjBvGm4tJNmcThkeL5Wajzom4jKlBygKtpTkYeqsnE');
    const encrypt = 'o1XtmVltGmUAqoWee54yd4Q5ZBgrw4/9lFo5qdZoVPd1DybzarjuYCfFlR2AFbAcWHwFgmbrVBD+f9910QIF6g==';
    expect(computeSignature(['pcoLldqMu2WQQtYBeDX5HiXPsBFlTnDM', '1623292419', '1623324060', encrypt])).toBe(
      '1495c4dfd4958d4e5faf618978ae66943a042f87',
    );
    expect(decryptMessage({ aesKey, appId: 'wwedab3d5fc43636d8', encrypt })).toBe('6058207018001857403');
  });

  it('WxJava: second encryption vector with Chinese inside XML', () => {
    const aesKey = parseEncodingAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    const message =
      '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>';
    const encrypt = encryptMessage({ aesKey, appId: 'wxb11529c136998cb6', message, random: Buffer.from('aaaabbbbccccdddd', 'latin1') });
    expect(encrypt).toBe(
      'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb',
    );
    expect(decryptMessage({ aesKey, appId: 'wxb11529c136998cb6', encrypt })).toBe(message);
  });
});
